"""``yiwang calendar``: compute working days, show a year, import a State Council notice.

``add-working-days`` and ``between`` print only the result on stdout so scripts can use it; the
暂定 note for a provisional year goes to stderr.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yiwang.core import workdays

PROVISIONAL_NOTE = "（暂定）所涉年份尚未载入国务院办公厅放假通知，结果按推算的节假日计算，未含调休。"


def parse_date(text: str, what: str = "日期") -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise CommandError(f"{what}“{text}”无效，请使用 YYYY-MM-DD 格式，例如 2026-09-30。") from None


def parse_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise CommandError(f"工作日数“{text}”无效，应为不小于0的整数。") from None
    if value < 0:
        raise CommandError(f"工作日数“{text}”无效，应为不小于0的整数。")
    return value


def read_notice_file(path: str) -> tuple[int, str, list, list]:
    """Parse and check the import JSON; every problem becomes a Chinese CommandError."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"无法读取文件 {path}：{exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CommandError(f"文件 {path} 不是 UTF-8 编码的文本。") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CommandError(f"文件 {path} 不是有效的 JSON（第{exc.lineno}行第{exc.colno}列）。") from None
    if not isinstance(data, dict):
        raise CommandError("导入文件应为一个 JSON 对象，包含 year、note、holidays、workdays。")
    unknown = sorted(set(data) - {"year", "note", "holidays", "workdays"})
    if unknown:
        raise CommandError(f"导入文件含有未知字段：{'、'.join(unknown)}。")
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise CommandError("导入文件的 year 应为整数年份，例如 2027。")
    note = data.get("note", "")
    if not isinstance(note, str):
        raise CommandError("导入文件的 note 应为字符串（通知文号）。")
    lists = []
    for key, label in (("holidays", "放假日期"), ("workdays", "调休上班日期")):
        items = data.get(key, [])
        if not isinstance(items, list):
            raise CommandError(f"导入文件的 {key}（{label}）应为列表。")
        parsed = []
        for i, item in enumerate(items, 1):
            if not isinstance(item, dict) or not isinstance(item.get("date"), str):
                raise CommandError(f'{key} 第{i}项应为 {{"date": "YYYY-MM-DD", "name": "…"}}。')
            name = item.get("name", "")
            if not isinstance(name, str):
                raise CommandError(f"{key} 第{i}项的 name 应为字符串。")
            parsed.append((parse_date(item["date"], f"{key} 第{i}项的日期"), name))
        lists.append(parsed)
    return year, note, lists[0], lists[1]


class Command(BaseCommand):
    help = "工作日历：推算工作日、查看年度节假日、导入国务院办公厅放假通知。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="子命令")
        p = sub.add_parser("add-working-days", help="DATE 之后第 N 个工作日（从次日起算）")
        p.add_argument("date", help="起始日期 YYYY-MM-DD")
        p.add_argument("n", help="工作日数（≥0）")
        p = sub.add_parser("between", help="A 之后到 B（含）之间的工作日数")
        p.add_argument("a", help="日期 YYYY-MM-DD")
        p.add_argument("b", help="日期 YYYY-MM-DD")
        p = sub.add_parser("show", help="显示某年的来源和节假日")
        p.add_argument("year", help="年份，例如 2027")
        p = sub.add_parser("import", help="导入国务院办公厅放假通知（JSON 文件），替换该年数据")
        p.add_argument("file", help="JSON 文件路径")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, "do_" + action.replace("-", "_"))(options)
        except workdays.CalendarUnavailable as exc:
            raise CommandError(exc.message) from None
        except workdays.CalendarDataError as exc:
            raise CommandError(f"导入失败，未作任何修改：{exc.message}") from None

    def _note(self, provisional: bool) -> None:
        if provisional:
            self.stderr.write(PROVISIONAL_NOTE, style_func=self.style.WARNING)

    def do_add_working_days(self, options) -> None:
        result = workdays.add_working_days_detail(parse_date(options["date"]), parse_count(options["n"]))
        self.stdout.write(result.date.isoformat())
        self._note(result.provisional)

    def do_between(self, options) -> None:
        result = workdays.working_days_between_detail(parse_date(options["a"]), parse_date(options["b"]))
        self.stdout.write(str(result.days))
        self._note(result.provisional)

    def do_show(self, options) -> None:
        text = options["year"]
        if not text.isdigit() or len(text) != 4:
            raise CommandError(f"年份“{text}”无效，应为四位数字，例如 2027。")
        status = workdays.year_status(int(text))
        mark = "（暂定）" if status.provisional else ""
        out = self.stdout
        out.write(f"{status.year}年工作日历{mark}")
        out.write(f"来源：{status.source_label}")
        if status.note:
            out.write(f"说明：{status.note}")
        out.write(f"放假（{len(status.holidays)}天）：")
        for day, name in status.holidays:
            out.write(f"  {day.isoformat()} 周{workdays.WEEKDAY_NAMES[day.weekday()]} {name}{mark}")
        out.write(f"调休上班（{len(status.workdays)}天）：")
        for day, name in status.workdays:
            out.write(f"  {day.isoformat()} 周{workdays.WEEKDAY_NAMES[day.weekday()]} {name}")
        if not status.workdays:
            out.write("  无")
        if status.provisional:
            out.write("本年度为推算的暂定日历：请在国务院办公厅通知发布后用 yiwang calendar import 导入。")

    def do_import(self, options) -> None:
        year, note, holidays, makeup = read_notice_file(options["file"])
        status = workdays.load_notice(year, holidays, makeup, note)
        self.stdout.write(
            f"已导入{status.year}年工作日历：放假{len(status.holidays)}天，调休上班{len(status.workdays)}天"
            f"（{status.note}）。"
        )
