"""``yiwang events``: the outbox event list (``--markdown`` writes docs/events.md's content)."""

from django.core.management.base import BaseCommand

from yiwang.core.event_catalog import EVENTS, markdown


class Command(BaseCommand):
    help = "列出全部事件及其内容和消费者。"

    def add_arguments(self, parser):
        parser.add_argument("--markdown", action="store_true", help="输出 docs/events.md 的内容")

    def handle(self, *args, markdown_out=False, **options):
        if options.get("markdown"):
            self.stdout.write(markdown(), ending="")
            return
        for e in EVENTS:
            self.stdout.write(f"{e.name:32} {', '.join(e.payload):60} {', '.join(e.consumers) or '-'}")
