"""``yiwang bench seed --cases N``: case volume for the load benchmarks (``make bench``).

    yiwang bench seed --cases 1000000          top up to a million generated cases
    yiwang bench seed --cases 0 --clear        remove every generated case and person

Generated data is marked (``bench-`` idempotency keys and usernames) and never mixed up with real
cases. The bench runs with production settings on a throwaway database; on any other production
database the command refuses unless ``--allow-production`` is given.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "压测数据：seed 生成办件（--cases N 补足到 N 件，--clear 先清除已生成的数据）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        seed = sub.add_parser("seed", help="生成压测办件（可重复执行，补足到 N 件）")
        seed.add_argument("--cases", type=int, required=True, help="目标件数（已生成的计入）")
        seed.add_argument("--clear", action="store_true", help="先删除已生成的办件、申请人和工作人员")
        seed.add_argument("--batch", type=int, default=10_000, help="每批件数（一批一个事务）")
        seed.add_argument("--allow-production", action="store_true",
                          help="生产配置下也执行（仅限压测用的临时数据库）")

    def handle(self, *args, action, **options):
        from yiwang.cases import benchseed

        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError("生产环境不生成压测数据；压测用的临时数据库请加 --allow-production。")
        if options["cases"] < 0 or options["batch"] < 1:
            raise CommandError("--cases 不能为负数，--batch 至少为 1。")
        if options["clear"]:
            deleted = benchseed.clear()
            self.stdout.write(f"已删除生成的办件 {deleted} 件。")
        if options["cases"]:
            result = benchseed.seed(options["cases"], batch=options["batch"],
                                    log=lambda message: self.stdout.write(f"bench seed: {message}"))
            self.stdout.write(f"压测办件共 {result['total']} 件（本次生成 {result['created']} 件，"
                              f"用时 {result['seconds']:.1f} 秒）。")
