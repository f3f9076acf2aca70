"""``yiwang search``: rebuild the catalogue search index, try queries, seed synonyms.

    yiwang search rebuild                 index every current published version again
    yiwang search query "怎么开公司" [--audience 1 --department market --page 2 --page-size 10 --explain]
    yiwang search suggest "yy"
    yiwang search synonyms [--seed]       list the synonym table (--seed: load the shipped defaults)
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from yiwang.catalog import search
from yiwang.catalog.models import Synonym
from yiwang.catalog.search.engine import SearchFilters, run_search
from yiwang.core import text


class Command(BaseCommand):
    help = "事项检索：重建索引（rebuild）、试查询（query）、输入提示（suggest）、同义词（synonyms）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="重建检索索引")
        query = sub.add_parser("query", help="检索并显示排序与得分")
        query.add_argument("q")
        for name in ("audience", "department", "theme", "item-type", "case-type", "tongban"):
            query.add_argument(f"--{name}")
        query.add_argument("--online", choices=["full", "capable"])
        query.add_argument("--charges", choices=["yes", "no"])
        query.add_argument("--page", type=int, default=1)
        query.add_argument("--page-size", type=int, default=20)
        query.add_argument("--explain", action="store_true", help="显示分词、同义词扩展")
        suggest = sub.add_parser("suggest", help="输入提示")
        suggest.add_argument("q")
        suggest.add_argument("--limit", type=int, default=8)
        synonyms = sub.add_parser("synonyms", help="列出同义词表")
        synonyms.add_argument("--seed", action="store_true", help="载入随附的默认同义词（幂等）")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_rebuild(self, **options):
        started = time.perf_counter()
        count = search.rebuild_index()
        self.stdout.write(f"已重建检索索引：{count} 个事项（{time.perf_counter() - started:.1f} 秒）。")

    def do_query(self, q, **options):
        charges = {"yes": True, "no": False}.get(options.get("charges") or "")
        filters = SearchFilters(
            audience=options.get("audience"), department=options.get("department"), theme=options.get("theme"),
            item_type=options.get("item_type"), case_type=options.get("case_type"), online=options.get("online"),
            tongban=options.get("tongban"), charges=charges,
        )
        text.query_tokens("预热")  # load the tokenizer first: the time shown is the search's own
        started = time.perf_counter()
        result = run_search(q, filters, options["page"], options["page_size"])
        elapsed = (time.perf_counter() - started) * 1000
        plan = result.plan
        self.stdout.write(f"查询：{plan.normalized!r}  词：{' '.join(plan.tokens) or '（无）'}  "
                          f"共 {result.total} 项，第 {result.page} 页，{elapsed:.1f} ms")
        if options.get("explain"):
            for group in plan.groups:
                alternatives = " | ".join("+".join(a) for a in group.alternatives)
                self.stdout.write(f"  组 {group.label}（权重 {group.weight}）：{alternatives}")
        if plan.empty:
            from yiwang.catalog.models import SearchEntry

            entries = SearchEntry.objects.in_bulk(result.item_ids, field_name="item_id")
            self.stdout.write("（无检索词：按热度列出）")
            for rank, item_id in enumerate(result.item_ids, start=1 + (result.page - 1) * result.page_size):
                entry = entries.get(item_id)
                if entry:
                    self.stdout.write(f"{rank:>4}  popularity={entry.popularity:<6} {entry.code}  {entry.name}")
            return
        self.stdout.write(f"{'#':>4}  {'score':>7} {'backend':>8}  code / name")
        for rank, hit in enumerate(result.hits, start=1 + (result.page - 1) * result.page_size):
            self.stdout.write(f"{rank:>4}  {hit.score:>7.3f} {hit.backend_score:>8.3f}  {hit.code}  {hit.name}"
                              f"  （热度 {hit.popularity}）")

    def do_suggest(self, q, limit, **options):
        for entry in search.suggest(q, limit):
            self.stdout.write(f"{entry['code']}  {entry['name']}")

    def do_synonyms(self, seed, **options):
        if seed:
            self.stdout.write(f"已载入默认同义词：新增或更新 {search.seed_default_synonyms()} 条。")
        rows = Synonym.objects.all()
        if not rows:
            raise CommandError("同义词表为空（可用 --seed 载入默认同义词）。")
        for row in rows:
            self.stdout.write(("" if row.active else "（停用）") + str(row))
