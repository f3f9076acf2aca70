"""``yiwang catalog export --format yaml`` and ``yiwang catalog import FILE``."""

import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "事项目录：export 导出（YAML），import 导入（全部成功或全部不导入）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help="导出事项目录")
        exp.add_argument("--format", choices=["yaml"], default="yaml")
        exp.add_argument("--output", "-o", help="输出文件（默认标准输出）")
        imp = sub.add_parser("import", help="导入事项目录文件")
        imp.add_argument("file")
        imp.add_argument("--demo", action="store_true", help="标记为演示数据")

    def handle(self, *args, **opts):
        from yiwang.catalog import transfer

        if opts["action"] == "export":
            text = transfer.export_yaml()
            if opts.get("output"):
                with open(opts["output"], "w", encoding="utf-8") as fh:
                    fh.write(text)
                self.stderr.write(f"已导出到 {opts['output']}")
            else:
                sys.stdout.write(text)
            return
        try:
            with open(opts["file"], encoding="utf-8") as fh:
                text = fh.read()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from exc
        try:
            report = transfer.import_yaml(text, is_demo=opts["demo"])  # the audit record keeps the counts
        except transfer.ImportFailed as exc:
            for e in exc.report.errors:
                self.stderr.write(f"  {e['item']}  {e['field']}：{e['message']}")
            raise CommandError(f"导入失败（{len(exc.report.errors)} 处错误），未导入任何内容。") from exc
        self.stdout.write(
            f"导入完成：新建事项 {report.created_items} 个，新建版本 {report.created_versions} 个，"
            f"已存在相同版本 {report.skipped_versions} 个。"
        )
