"""``yiwang audit verify`` — check the audit hash chain (ADR 0003); safe on a running server."""

from django.core.management.base import BaseCommand, CommandError

from yiwang.core import audit


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链是否完整（可在服务运行时执行）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="从第一条记录校验到当前链头")
        verify.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, action, **opts):
        result = audit.verify(batch=opts["batch_size"])
        if not result.ok:
            where = f"第一条异常记录：{result.first_bad_seq}，" if result.first_bad_seq is not None else ""
            raise CommandError(
                f"审计链校验失败：{where}{result.reason}（已校验 {result.checked} 条）", returncode=1
            )
        self.stdout.write(self.style.SUCCESS(f"审计链完整：{result.checked} 条记录"))
