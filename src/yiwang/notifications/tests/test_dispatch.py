"""The outbox dispatcher, the scheduler and the deadline scanner, in process: one failing event does
not hold up the rest and ends as a dead letter after the last attempt; an expired lease lets another
worker take over; two workers never hold the same event; a scheduler round is enqueued once however
many workers tick; each deadline level is raised once per case and reaches the staff on the case."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from yiwang.accounts.roles import Role
from yiwang.cases import handling
from yiwang.cases.models import Case
from yiwang.cases.tests.helpers import open_item, staff
from yiwang.core import audit, clock, dispatch, scheduler
from yiwang.core.events import emit
from yiwang.core.models import AuditRecord, OutboxEvent, ScheduledJob
from yiwang.notifications import alerts
from yiwang.notifications.models import DeadlineAlert, Notification
from yiwang.notifications.tests.support import accepted_case, drain, shift_clock

PROBE = "test.probe"
ECHO = "test.echo"


@pytest.fixture
def probe():
    """A consumer of ``test.probe`` that writes an audit record per event and raises for ``boom``."""
    seen: list[int] = []

    def consume(events):
        for e in events:
            if e.payload.get("boom"):
                raise RuntimeError(f"boom {e.pk}")
            audit.record(ECHO, object_type="outbox", object_id=e.pk)
            seen.append(e.pk)

    dispatch.consumer(PROBE)(consume)
    yield seen
    dispatch._consumers[PROBE].remove(consume)


def _echoes() -> list[int]:
    return sorted(int(i) for i in AuditRecord.objects.filter(action=ECHO).values_list("object_id", flat=True))


@pytest.mark.django_db
def test_a_failing_event_does_not_hold_up_the_others(probe, settings, monkeypatch):
    settings.YIWANG_RETRY_BASE_SECONDS = 10
    settings.YIWANG_RETRY_MAX_SECONDS = 1000
    settings.YIWANG_RETRY_MAX_ATTEMPTS = 3
    events = [emit(PROBE, {"n": i, "boom": i == 2}) for i in range(5)]
    bad = events[2]
    good = [e.pk for e in events if e is not bad]
    done, failed = dispatch.dispatch(dispatch.claim("w1"), "w1")
    assert (done, failed) == (4, 1)
    assert _echoes() == good  # the failed group attempt left nothing behind: each good event handled once
    for e in OutboxEvent.objects.filter(pk__in=good):
        assert e.dispatched_at and e.lease_until is None and e.last_error == ""
    bad.refresh_from_db()
    assert bad.dispatched_at is None and bad.dead_at is None and bad.attempts == 1 and bad.lease_until is None
    assert bad.last_error == f"RuntimeError: boom {bad.pk}"
    assert dt.timedelta(seconds=9) < bad.next_attempt_at - clock.now() <= dt.timedelta(seconds=10)
    assert dispatch.claim("w1") == []  # not due yet

    offset = 0
    for attempt, wait in ((2, 20), (3, None)):
        offset += 11 if attempt == 2 else 21
        shift_clock(monkeypatch, offset)
        assert dispatch.dispatch_once("w1") == 1
        bad.refresh_from_db()
        assert bad.attempts == attempt
        if wait:
            assert bad.dead_at is None
            assert dt.timedelta(seconds=wait - 1) < bad.next_attempt_at - clock.now() <= dt.timedelta(seconds=wait)
    assert bad.dead_at is not None and bad.dispatched_at is None  # YIWANG_RETRY_MAX_ATTEMPTS reached
    shift_clock(monkeypatch, 10_000)
    assert dispatch.claim("w1") == []  # dead letters are never claimed again
    assert _echoes() == good

    dispatch.requeue(bad)  # an admin puts it back; the cause is gone now
    OutboxEvent.objects.filter(pk=bad.pk).update(payload={"n": 2})
    assert dispatch.dispatch_once("w1") == 1
    bad.refresh_from_db()
    assert bad.dispatched_at and bad.dead_at is None and _echoes() == sorted([*good, bad.pk])


@pytest.mark.django_db
def test_failure_in_one_event_name_leaves_other_names_alone(probe, world):
    from yiwang.cases.tests.helpers import submitted_case
    from yiwang.notifications.tests.support import item

    emit(PROBE, {"boom": True})
    submitted_case(world, item(world))
    drain()
    assert Notification.objects.filter(user=world["citizen"], event_name="case.submitted").count() == 1
    assert OutboxEvent.objects.filter(dispatched_at__isnull=True).values_list("name", flat=True).get() == PROBE


@pytest.mark.django_db
def test_expired_lease_lets_another_worker_claim(probe, settings, monkeypatch):
    settings.YIWANG_WORKER_LEASE_SECONDS = 30
    ids = [emit(PROBE, {"n": i}).pk for i in range(3)]
    assert dispatch.claim("crashed") == ids
    assert dispatch.claim("other") == []  # still leased
    shift_clock(monkeypatch, 29)
    assert dispatch.claim("other") == []
    shift_clock(monkeypatch, 31)
    assert dispatch.claim("other") == ids
    assert dispatch.dispatch(ids, "crashed") == (0, 0)  # the lease was lost: the old worker does nothing
    assert dispatch.dispatch(ids, "other") == (3, 0)
    assert _echoes() == ids  # once each
    assert list(OutboxEvent.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == [2, 2, 2]


@pytest.mark.django_db
def test_claims_come_in_batches_oldest_first(probe):
    ids = [emit(PROBE, {"n": i}).pk for i in range(7)]
    assert dispatch.claim("a", batch=3) == ids[:3]
    assert dispatch.claim("b", batch=3) == ids[3:6]
    assert dispatch.claim("c", batch=3) == ids[6:]
    assert dispatch.claim("d", batch=3) == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_claims_never_overlap(probe):
    ids = {emit(PROBE, {"n": i}).pk for i in range(240)}
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def work(name):
        try:
            start.wait()
            while batch := dispatch.claim(name, batch=15):
                claimed[name] += batch
                dispatch.dispatch(batch, name)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in claimed]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert not set(claimed["a"]) & set(claimed["b"])
    assert set(claimed["a"]) | set(claimed["b"]) == ids
    assert len(claimed["a"]) + len(claimed["b"]) == len(ids)
    assert _echoes() == sorted(ids)  # each handled exactly once
    assert not OutboxEvent.objects.filter(pk__in=ids, dispatched_at__isnull=True).exists()


# --- scheduler -------------------------------------------------------------------------------------

def _frozen(monkeypatch, when: dt.datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: when)


def _queued(task) -> int:
    return DBTaskResult.objects.filter(task_path=task.module_path).count()


@pytest.mark.django_db
def test_scheduler_enqueues_a_round_once_for_two_workers(monkeypatch, settings):
    from yiwang.notifications.tasks import retry_deliveries, scan_deadlines

    settings.YIWANG_SCHEDULE = {**settings.YIWANG_SCHEDULE, "deliveries.retry": 15, "deadlines.scan": 300}
    t0 = clock.now()
    _frozen(monkeypatch, t0)
    first = scheduler.tick("a")
    assert first == len([n for n in scheduler.jobs() if scheduler.interval(n) > 0])
    assert scheduler.tick("b") == 0  # the same moment: already taken
    assert _queued(retry_deliveries) == 1 and _queued(scan_deadlines) == 1
    _frozen(monkeypatch, t0 + dt.timedelta(seconds=16))
    assert scheduler.tick("b") == 1 and scheduler.tick("a") == 0
    assert _queued(retry_deliveries) == 2 and _queued(scan_deadlines) == 1
    job = ScheduledJob.objects.get(name="deliveries.retry")
    assert job.last_run_by == "b" and job.next_run_at == t0 + dt.timedelta(seconds=31)


@pytest.mark.django_db
def test_a_job_switched_off_is_never_enqueued(monkeypatch, settings):
    from yiwang.notifications.tasks import cleanup

    settings.YIWANG_SCHEDULE = {**settings.YIWANG_SCHEDULE, "housekeeping.cleanup": 0}
    scheduler.tick("a")
    assert _queued(cleanup) == 0


@pytest.mark.django_db(transaction=True)
def test_scheduler_ticks_at_the_same_moment_from_threads(monkeypatch):
    when = clock.now()
    _frozen(monkeypatch, when)
    counts: dict[str, int] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def tick(name):
        try:
            start.wait()
            counts[name] = scheduler.tick(name)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick, args=(n,)) for n in ("a", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    jobs = [n for n in scheduler.jobs() if scheduler.interval(n) > 0]
    assert sum(counts.values()) == len(jobs)
    for name, task in scheduler.jobs().items():
        if scheduler.interval(name) > 0:
            assert _queued(task) == 1, name
    assert ScheduledJob.objects.filter(name__in=jobs).count() == len(jobs)


# --- deadline scanner ------------------------------------------------------------------------------

def _due(case, when: dt.date) -> None:
    Case.objects.filter(pk=case.pk).update(due_date=when)


def _inbox(user, event) -> list[Notification]:
    return list(Notification.objects.filter(user=user, event_name=event))


@pytest.mark.django_db
def test_deadline_levels_are_raised_once_per_case_and_reach_the_staff(world):
    colleague = staff("und2", Role.UNDERTAKER, world["market"])
    case = accepted_case(world)
    quiet = accepted_case(world)  # far from its due date: no alert
    today = clock.today()
    _due(case, today)
    drain()  # the worker's first scheduler round runs the scan
    assert list(DeadlineAlert.objects.values_list("case_id", "level")) == [(case.pk, "warning")]
    scheduler.run_now("deadlines.scan")
    drain()
    assert alerts.scan() == 0
    for person in (world["undertaker"], colleague):  # the open 承办 step's department
        (msg,) = _inbox(person, "deadline.warning")
        assert case.number in msg.title and case.number in msg.body and msg.case_id == case.pk
    for person in (world["citizen"], world["reviewer"], world["clerk"]):
        assert not _inbox(person, "deadline.warning")
    assert not Notification.objects.filter(case_id=quiet.pk, event_name__startswith="deadline.").exists()

    handling.claim(world["undertaker"], open_item(case, "undertake"))  # now only the assignee hears of it
    _due(case, today - dt.timedelta(days=10))
    assert alerts.scan() == 1 and alerts.scan() == 0
    drain()
    assert len(_inbox(world["undertaker"], "deadline.overdue")) == 1
    assert not _inbox(colleague, "deadline.overdue")
    assert len(_inbox(world["undertaker"], "deadline.warning")) == 1
    assert OutboxEvent.objects.filter(name="deadline.overdue").count() == 1
    assert OutboxEvent.objects.filter(name="deadline.warning").count() == 1


@pytest.mark.django_db
def test_scanner_skips_paused_and_finished_cases(world):
    from yiwang.cases.status import CaseStatus

    paused, done = accepted_case(world), accepted_case(world)
    past = clock.today() - dt.timedelta(days=10)
    _due(paused, past)
    _due(done, past)
    Case.objects.filter(pk=paused.pk).update(status=CaseStatus.SUSPENDED)
    Case.objects.filter(pk=done.pk).update(status=CaseStatus.COMPLETED)
    assert alerts.scan() == 0 and not DeadlineAlert.objects.exists()


@pytest.mark.django_db
def test_worker_ids_fit_their_columns_with_a_long_host_name(world, monkeypatch, mailoutbox):
    """A fully qualified host name can be 253 characters; ``leased_by`` holds 100. On PostgreSQL a
    longer id failed every claim (and the worker took that for a database outage, forever)."""
    import socket

    from yiwang.cases.tests.helpers import submitted_case
    from yiwang.core import worker
    from yiwang.notifications.tests.support import contacts, item

    monkeypatch.setattr(socket, "gethostname", lambda: "node-" + "x" * 200 + ".example.internal")
    monkeypatch.setattr(worker, "_process_id", {})
    assert len(worker.new_worker_id()) <= 100 and worker.new_worker_id() != worker.new_worker_id()
    contacts(world["citizen"], email="zhang@example.cn")
    submitted_case(world, item(world))
    assert worker.Worker().run_until_idle() > 0
    assert Notification.objects.filter(user=world["citizen"], event_name="case.submitted").count() == 1
    assert len(mailoutbox) == 1  # the send task leases with the process id
    assert worker.Worker("w" * 300).run_until_idle() == 0


@pytest.mark.django_db
def test_two_consumers_of_one_event_succeed_or_fail_together(probe, settings, monkeypatch):
    """When the second consumer fails for an event, the first one's writes for that event are undone
    too: the retry runs both again, and a consumer must not see the same event succeed twice."""
    settings.YIWANG_RETRY_BASE_SECONDS = 1
    broken = {"on": True}

    def picky(events):
        for e in events:
            if e.payload.get("n") == 1 and broken["on"]:
                raise ValueError("picky")

    dispatch.consumer(PROBE)(picky)
    try:
        ids = [emit(PROBE, {"n": i}).pk for i in range(3)]
        assert dispatch.dispatch_once("w") == 3
        assert _echoes() == [ids[0], ids[2]]  # the probe's write for the failed event was rolled back
        broken["on"] = False
        shift_clock(monkeypatch, 5)
        assert dispatch.dispatch_once("w") == 1
        assert _echoes() == ids  # once each
    finally:
        dispatch._consumers[PROBE].remove(picky)
