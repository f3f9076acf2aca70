"""``yiwang cases expire-corrections [--on YYYY-MM-DD]``: end cases whose 补正 reply date has
passed with result 补正超时 (5). Run once a day from the scheduler; running it twice changes nothing."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from yiwang.cases import handling


class Command(BaseCommand):
    help = "办件日常任务：expire-corrections（补正超时办结）"

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        expire = sub.add_parser("expire-corrections", help="补正期限已过的办件按补正超时办结")
        expire.add_argument("--on", default="", help="按该日计算（默认今天），YYYY-MM-DD")

    def handle(self, *args, action: str, **options) -> None:
        if action == "expire-corrections":
            on = None
            if options["on"]:
                try:
                    on = dt.date.fromisoformat(options["on"])
                except ValueError:
                    raise CommandError(f"日期“{options['on']}”无效，请使用 YYYY-MM-DD 格式。") from None
            numbers = handling.expire_corrections(on)
            for number in numbers:
                self.stdout.write(number)
            self.stderr.write(f"补正超时办结 {len(numbers)} 件")
