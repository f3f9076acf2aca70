"""``yiwang restore ARCHIVE --yes`` — check an archive's hashes, then restore all of it."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from yiwang.core import audit, backup, crypto
from yiwang.core.management.commands.backup import live_database


class Command(BaseCommand):
    help = "从备份文件恢复数据库、上传文件和密钥（先校验全部文件的哈希；须加 --yes 确认）。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="yiwang backup 生成的 .tar.gz 文件")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据")
        parser.add_argument("--database", default="default")

    def handle(self, *args, archive, yes=False, database="default", **opts):
        db, version = live_database(database)
        media_root, keys_dir = Path(settings.MEDIA_ROOT), Path(settings.KEYS_DIR)
        try:
            with backup.open_archive(Path(archive), media_root.parent) as verified:
                self.stdout.write(f"备份文件校验通过：{len(verified.manifest['files'])} 个文件的哈希一致。")
                if not yes:
                    for line in backup.describe_targets(
                        verified, database=db, media_root=media_root, keys_dir=keys_dir
                    ):
                        self.stdout.write(f"  {line}")
                    raise CommandError("恢复会覆盖以上内容。确认后请加 --yes 重新运行；本次未做任何改动。")
                # Nothing of ours may hold the database open while it is replaced.
                connections.close_all()
                notes = backup.restore_archive(
                    verified, database=db, media_root=media_root, keys_dir=keys_dir, server_version=version
                )
                manifest = verified.manifest
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            connections.close_all()
        crypto.reset_keyring_cache()
        for note in notes:
            self.stdout.write(note)
        missing = [k for k in manifest["keys"].get("key_ids", []) if k not in crypto.keyring().keys]
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    f"当前密钥环缺少备份数据所需的密钥：{'，'.join(missing)}；这些个人信息暂时无法解密。"
                )
            )
        audit.record(
            "system.restored",
            object_type="core.backup",
            object_id=Path(archive).name,
            summary=f"从备份 {Path(archive).name}（{manifest.get('created_at')}）恢复",
            data={"created_at": manifest.get("created_at"), "files": len(manifest["files"])},
        )
        self.stdout.write(self.style.SUCCESS("恢复完成。请重启全部服务进程（web 与 worker）。"))
