"""``yiwang worker``: dispatch outbox events, run background tasks and periodic jobs."""

from django.core.management.base import BaseCommand

from yiwang.core.worker import Worker


class Command(BaseCommand):
    help = "后台工作进程：分发事件、发送通知、运行定时任务（可同时运行多个）。"

    def add_arguments(self, parser):
        parser.add_argument("--until-idle", action="store_true", help="处理完现有工作后退出")
        parser.add_argument("--batch", type=int, default=None, help="每批领取的事件数")
        parser.add_argument("--id", default=None, help="进程标识（默认 主机名:进程号）")

    def handle(self, *args, until_idle=False, batch=None, id=None, **options):
        worker = Worker(id, batch=batch)
        if until_idle:
            n = worker.run_until_idle()
            self.stdout.write(f"处理 {n} 项后空闲，退出。")
            return
        self.stdout.write(f"工作进程 {worker.worker_id} 已启动（Ctrl-C 停止）。")
        worker.run()
