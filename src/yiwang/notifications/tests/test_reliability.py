"""Reliability with real processes: ``yiwang worker`` subprocesses against a PostgreSQL cluster of
the test's own and a real SMTP server (aiosmtpd). No mocks: a worker is killed with SIGKILL, the
SMTP server is stopped, the database is restarted — and every message still arrives, in-app
exactly once, e-mail at least once with duplicates bounded by the number of crashes.

Leases, backoff and the retry period are set to a second or so, to keep the suite fast."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from yiwang.testing.pgcluster import PgCluster
from yiwang.testing.smtp import SmtpServer

# Own cluster, so they need PostgreSQL binaries: run in the PostgreSQL phase only (deselected elsewhere).
pytestmark = [pytest.mark.reliability, pytest.mark.postgresql]

YIWANG = str(Path(sys.executable).with_name("yiwang"))


@pytest.fixture(scope="module")
def cluster():
    c = PgCluster().init()
    c.sql("CREATE DATABASE template_yiwang")
    subprocess.run([YIWANG, "migrate", "-v", "0"], env=_env(c.url("template_yiwang")), check=True, timeout=300)
    yield c
    c.destroy()


def _env(url: str, smtp_port: int | None = None, **extra) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "yiwang.settings",
           "YIWANG_WORKER_LEASE_SECONDS": "2", "YIWANG_SCHEDULE_RETRY_SECONDS": "0.5",
           "YIWANG_RETRY_BASE_SECONDS": "0.5", "YIWANG_RETRY_MAX_SECONDS": "2", "YIWANG_RETRY_MAX_ATTEMPTS": "30",
           "YIWANG_WORKER_IDLE_SECONDS": "0.1", "YIWANG_WORKER_BATCH": "25", "YIWANG_EMAIL_TIMEOUT": "3"}
    if smtp_port:
        env.update({"YIWANG_EMAIL_HOST": "127.0.0.1", "YIWANG_EMAIL_PORT": str(smtp_port)})
    env.update(extra)
    return env


_n = 0


@pytest.fixture
def db_url(cluster):
    global _n
    _n += 1
    name = f"rel_{os.getpid()}_{_n}"
    cluster.sql(f"CREATE DATABASE {name} TEMPLATE template_yiwang")
    return name


def _seed(cluster, db: str, prefix: str, count: int) -> None:
    subprocess.run([sys.executable, "-m", "yiwang.notifications.tests.reliability_seed", prefix, str(count)],
                   env=_env(cluster.url(db)), check=True, timeout=120)


def _worker(cluster, db: str, smtp_port: int, log: Path) -> subprocess.Popen:
    out = log.open("ab")
    return subprocess.Popen([YIWANG, "worker"], env=_env(cluster.url(db), smtp_port), stdout=out, stderr=out)


def _wait(check, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except Exception:  # the database may be restarting
            value = None
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"超时：{what}")


def _count(cluster, db: str, sql: str) -> int:
    return cluster.sql(sql, db)[0][0]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _all_delivered(cluster, db, n):
    return _count(cluster, db, "SELECT count(*) FROM notifications_delivery WHERE channel='email' AND status='sent'") == n


def test_kill_9_mid_batch_loses_nothing(cluster, db_url, tmp_path):
    """Two SIGKILLs (during dispatch and during sending); after a restart every message arrives."""
    n = 150
    smtp = SmtpServer().start()
    smtp.delay = 0.02  # ~3 s of sending, so the kills land mid-batch
    log = tmp_path / "worker.log"
    try:
        _seed(cluster, db_url, "k", n)
        crashes = 0
        worker = _worker(cluster, db_url, smtp.port, log)
        _wait(lambda: _count(cluster, db_url, "SELECT count(*) FROM notifications_notification") > 0, 60,
              "第一批站内信")
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        crashes += 1
        worker = _worker(cluster, db_url, smtp.port, log)
        _wait(lambda: len(smtp.received()) >= 40, 60, "开始发送邮件")
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        crashes += 1
        worker = _worker(cluster, db_url, smtp.port, log)
        _wait(lambda: _all_delivered(cluster, db_url, n), 120, "全部邮件送出")
        _stop(worker)
    finally:
        smtp.stop()
    inapp = cluster.sql("SELECT user_id, count(*) FROM notifications_notification GROUP BY user_id", db_url)
    assert len(inapp) == n and all(c == 1 for _u, c in inapp), "站内信应恰好一次"
    ids = Counter(smtp.message_ids())
    assert len(ids) == n, "每封邮件的 Message-ID 各不相同且都收到"
    recorded = {r[0] for r in cluster.sql("SELECT provider_message_id FROM notifications_delivery "
                                          "WHERE channel='email'", db_url)}
    assert set(ids) == recorded
    duplicates = sum(c - 1 for c in ids.values())
    assert duplicates <= crashes, f"重复 {duplicates} 封，崩溃 {crashes} 次"
    assert _count(cluster, db_url, "SELECT count(*) FROM core_outboxevent WHERE dispatched_at IS NULL") == 0


def test_smtp_outage_queues_and_delivers_later(cluster, db_url, tmp_path):
    n = 20
    smtp = SmtpServer()  # not started: the mail server is down
    log = tmp_path / "worker.log"
    _seed(cluster, db_url, "o", n)
    worker = _worker(cluster, db_url, smtp.port, log)
    try:
        _wait(lambda: _count(cluster, db_url, "SELECT count(*) FROM notifications_delivery WHERE channel='email' "
                                              "AND attempts >= 2 AND last_error <> ''") == n, 60,
              "停机期间的失败尝试已记录")
        assert _count(cluster, db_url, "SELECT count(*) FROM notifications_delivery WHERE status='sent' "
                                       "AND channel='email'") == 0
        smtp.start()
        _wait(lambda: _all_delivered(cluster, db_url, n), 60, "恢复后全部送出")
    finally:
        _stop(worker)
        smtp.stop()
    assert len(set(smtp.message_ids())) == n
    attempts = [r[0] for r in cluster.sql("SELECT attempts FROM notifications_delivery WHERE channel='email'", db_url)]
    assert min(attempts) >= 3  # ≥ 2 failures logged, then the success
    assert _count(cluster, db_url, "SELECT count(*) FROM notifications_delivery WHERE status='dead'") == 0


def test_worker_recovers_from_a_postgresql_restart(cluster, db_url, tmp_path):
    smtp = SmtpServer().start()
    smtp.delay = 0.02
    log = tmp_path / "worker.log"
    _seed(cluster, db_url, "a", 60)
    worker = _worker(cluster, db_url, smtp.port, log)
    try:
        _wait(lambda: len(smtp.received()) >= 10, 60, "重启前已开始发送")
        cluster.stop("fast")  # disconnects the worker mid-work
        time.sleep(1.5)
        cluster.start()
        _seed(cluster, db_url, "b", 40)  # work that arrives after the restart
        _wait(lambda: _all_delivered(cluster, db_url, 100), 120, "重启后全部送出")
        assert worker.poll() is None, "工作进程应自行恢复，而不是退出"
    finally:
        _stop(worker)
        smtp.stop()
    inapp = cluster.sql("SELECT count(*), count(DISTINCT user_id) FROM notifications_notification", db_url)[0]
    assert inapp == (100, 100)
    assert len(set(smtp.message_ids())) == 100
    assert "数据库不可用" in log.read_text(encoding="utf-8")
