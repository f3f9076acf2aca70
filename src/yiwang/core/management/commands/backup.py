"""``yiwang backup [--output PATH]`` — database, uploaded files and key material in one archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from yiwang.core import audit, backup, crypto


def live_database(alias: str) -> tuple[dict, int | None]:
    """The settings of the database actually in use (the test database under pytest)."""
    conn = connections[alias]
    if conn.vendor == "sqlite" and conn.is_in_memory_db():
        raise CommandError("内存数据库无法备份，请使用文件数据库。")
    database = {**conn.settings_dict, "NAME": str(conn.settings_dict["NAME"])}
    version = None
    if conn.vendor == "postgresql":
        conn.ensure_connection()
        version = conn.pg_version
    return database, version


class Command(BaseCommand):
    help = "备份数据库、上传文件和密钥材料到一个 .tar.gz 文件（权限 0600）。"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="备份文件路径（或目录）；默认 var/backups/yiwang-时间.tar.gz")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output=None, database="default", **opts):
        db, version = live_database(database)
        if output:
            path = Path(output)
            if path.is_dir() or output.endswith("/"):
                path = path / backup.default_archive_path(Path(".")).name
        else:
            path = backup.default_archive_path(settings.VAR_DIR)
            n = 1
            while path.exists():  # two backups within one second
                n += 1
                path = path.with_name(path.name.replace(".tar.gz", f"-{n}.tar.gz"))
        ring = crypto.keyring()  # in file mode this makes sure the keyring exists before archiving
        try:
            info = backup.create_backup(
                path,
                database=db,
                media_root=Path(settings.MEDIA_ROOT),
                keys_dir=Path(settings.KEYS_DIR),
                env_keys=crypto.uses_env_keys(),
                key_ids=list(ring.keys),
                server_version=version,
                yiwang_version=settings.YIWANG_VERSION,
            )
        except backup.BackupError as exc:
            raise CommandError(f"备份失败：{exc}") from exc
        m = info.manifest
        audit.record(
            "system.backup_created",
            object_type="core.backup",
            object_id=info.path.name,
            summary=f"创建备份 {info.path.name}",
            data={"sha256": info.sha256, "size": info.size, "files": len(m["files"])},
        )
        self.stdout.write(f"备份文件：{info.path}")
        self.stdout.write(f"大小：{info.size} 字节，SHA-256：{info.sha256}")
        self.stdout.write(
            f"内容：数据库（{m['database']['vendor']}），上传文件 {m['media']['files']} 个，"
            f"密钥标识 {'，'.join(m['keys']['key_ids'])}"
        )
        if m["keys"]["mode"] == "env":
            self.stdout.write(self.style.WARNING(m["keys"]["note"]))
        self.stdout.write(self.style.SUCCESS("备份完成。备份文件含密钥材料，请妥善保管。"))
