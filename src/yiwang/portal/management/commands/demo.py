"""``yiwang demo load`` (idempotent demo data of every app) and ``yiwang demo accounts`` (print the
logins). It lives in the top-level app because it loads data of all apps below it."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "演示数据：load 载入（可重复执行），accounts 列出演示账号"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load", "accounts"])

    def handle(self, *args, **opts):
        if settings.PRODUCTION:
            raise CommandError("生产环境不允许载入或使用演示数据。")
        if opts["action"] == "load":
            from yiwang.accounts.demo import load_demo_accounts
            from yiwang.org.demo import load_demo_org

            org = load_demo_org()
            people = load_demo_accounts()
            self.stdout.write(f"演示数据已就绪：区划/部门 {org}，新建账号 {people['created']} 个。")
            self._load_catalogue()
            self._load_sharing()  # before the cases: their drafts read shared data
            self._load_cases()
            self._load_certificates()
            return
        self._print_accounts()

    def _load_catalogue(self):
        from yiwang.catalog.demo import load_demo_catalogue

        result = load_demo_catalogue()
        self.stdout.write(f"演示事项目录：{result}")

    def _load_cases(self):
        from yiwang.cases.demo import load_demo_cases

        made = load_demo_cases()
        self.stdout.write(f"演示办件：新建 {made} 件。")

    def _load_certificates(self):
        from yiwang.certificates.demo import load_demo_certificates

        made = load_demo_certificates()
        self.stdout.write(f"演示电子证照：新签发 {made} 个。")

    def _load_sharing(self):
        from yiwang.sharing.demo import load_demo_sharing

        self.stdout.write(f"演示共享数据：{load_demo_sharing()}")

    def _print_accounts(self):
        from yiwang.accounts.demo import DEMO_PASSWORD
        from yiwang.accounts.queries import demo_accounts

        rows = demo_accounts()
        if not rows:
            raise CommandError("尚未载入演示数据：请先运行 yiwang demo load。")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        width = max(len(r["username"]) for r in rows)
        for r in rows:
            dept = f"  {r['department_name']}" if r["department_name"] else ""
            self.stdout.write(f"  {r['username']:<{width}}  {r['role_label']}{dept}")
