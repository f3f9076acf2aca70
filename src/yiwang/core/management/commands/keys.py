"""``yiwang keys rotate|status|generate`` — the personal-data encryption keys (ADR 0005)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from yiwang.core import crypto, keyrotation


class Command(BaseCommand):
    help = "个人信息加密密钥：rotate 轮换并重新加密全部数据，status 查看各密钥下的数据量，generate 生成一条新密钥。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rotate = sub.add_parser("rotate", help="生成新密钥（文件模式）并用当前密钥重新加密全部个人信息")
        rotate.add_argument("--batch-size", type=int, default=keyrotation.BATCH_SIZE)
        rotate.add_argument("--database", default="default")
        status = sub.add_parser("status", help="显示当前密钥与各密钥加密的数据量")
        status.add_argument("--database", default="default")
        sub.add_parser("generate", help="生成一条新密钥（kid:base64），供 YIWANG_DATA_KEY 使用")

    def handle(self, *args, action, **opts):
        try:
            if action == "rotate":
                self.rotate(opts["database"], opts["batch_size"])
            elif action == "status":
                self.status(opts["database"])
            else:
                self.stdout.write(f"{crypto.new_kid()}:{crypto.new_key_text()}")
        except (crypto.DecryptionError, ImproperlyConfigured) as exc:
            raise CommandError(f"操作失败，数据未改动：{exc}") from exc

    def rotate(self, using: str, batch_size: int) -> None:
        env = crypto.uses_env_keys()
        if env:
            self.stdout.write(
                "密钥来自环境变量 YIWANG_DATA_KEY，本命令不生成新密钥。轮换步骤：\n"
                "  1. 用 `yiwang keys generate` 生成新密钥，放在 YIWANG_DATA_KEY 的第一位，旧密钥保留在后面；\n"
                "  2. 以新的环境变量重启全部服务进程；\n"
                "  3. 运行本命令，把全部数据重新加密到第一位的密钥。"
            )
        result = keyrotation.rotate(
            using=using, batch_size=batch_size, progress=lambda label: self.stdout.write(f"  已处理 {label}")
        )
        if result.mode == "file":
            self.stdout.write(
                f"已生成新密钥 {result.new_active} 并设为当前密钥（旧密钥 {result.old_active} 保留，旧备份仍可打开）。"
            )
        else:
            self.stdout.write(f"当前密钥（YIWANG_DATA_KEY 第一位）：{result.new_active}")
        for name, n in sorted(result.values.items()):
            self.stdout.write(f"  {name}: 重新加密 {n} 个值")
        for name, n in sorted(result.indexes.items()):
            self.stdout.write(f"  {name}: 更新 {n} 个盲索引")
        self.stdout.write(
            self.style.SUCCESS(
                f"轮换完成：重新加密 {result.total_values} 个值，更新盲索引 {result.total_indexes} 个，"
                f"涉及 {sum(result.rows.values())} 行。"
            )
        )
        if result.mode == "file":
            self.stdout.write(
                "其他正在运行的进程会在一秒内读到新的密钥文件；请随后备份（yiwang backup）以保存新密钥。"
            )

    def status(self, using: str) -> None:
        st = keyrotation.status(using=using)
        source = "环境变量 YIWANG_DATA_KEY" if st.mode == "env" else f"密钥文件 {crypto.keyring_path()}"
        self.stdout.write(f"密钥来源：{source}")
        self.stdout.write(f"当前密钥：{st.active}")
        self.stdout.write(
            "密钥环：" + "，".join(k + ("（当前）" if k == st.active else "") for k in st.known)
        )
        self.stdout.write("各密钥加密的值：")
        for kid in [*st.known, *st.unknown]:
            if kid in st.known:
                mark = ""
            elif kid == keyrotation.PLAINTEXT:
                mark = "（明文，运行 `yiwang keys rotate` 加密）"
            else:
                mark = "（密钥环中没有此密钥，数据无法解密！）"
            self.stdout.write(f"  {kid}: {st.per_kid.get(kid, 0)}{mark}")
        self.stdout.write("按字段：")
        for name, counts in sorted(st.per_field.items()):
            detail = "，".join(f"{kid}={n}" for kid, n in sorted(counts.items())) or "无数据"
            self.stdout.write(f"  {name}: {detail}")
        stale = sum(n for kid, n in st.per_kid.items() if kid != st.active)
        if stale:
            self.stdout.write(
                self.style.WARNING(f"有 {stale} 个值不在当前密钥下，运行 `yiwang keys rotate` 重新加密。")
            )
        else:
            self.stdout.write(self.style.SUCCESS("全部数据都在当前密钥下。"))
