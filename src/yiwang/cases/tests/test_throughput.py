"""What keeps submit and review steps fast (issue 5 targets) without giving up correctness: a
bounded number of queries, the audit chain head taken last, and two staff acting at once on the
same item still ending with one winner and a 409."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from yiwang.cases import applying, handling
from yiwang.cases.models import Case, TimelineEntry, WorkItem
from yiwang.cases.status import CaseStatus
from yiwang.cases.tests.helpers import make_world, open_item, submitted_case
from yiwang.cases.tests.test_api import bearer, post
from yiwang.cases.tests.test_applying import complete
from yiwang.catalog.tests import factories
from yiwang.core import audit
from yiwang.core.api import Conflict
from yiwang.core.models import AuditRecord, OutboxEvent

# Budgets over the whole request (bearer token and staff roles included); today's counts are 15
# (submit) and 18 (a review step): the margin is for a query somebody adds on purpose.
SUBMIT_QUERIES = 17
REVIEW_STEP_QUERIES = 20


def _in_review(world):
    item = factories.item("事项", department_obj=world["market"])
    case = submitted_case(world, item)
    handling.act(world["clerk"], open_item(case, "accept"), "accept")
    return case


def _statements(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


@pytest.mark.django_db
def test_submit_stays_within_its_query_budget(client, world):
    item = factories.item("事项", department_obj=world["market"])
    case, _ = applying.create_draft(world["citizen"], item.code)
    complete(case)
    me = bearer(world["citizen"])
    with CaptureQueriesContext(connection) as ctx:
        resp = post(client, f"/api/v1/cases/{case.pk}/submit", {"declaration": True}, **me)
    assert resp.status_code == 200, resp.content
    assert len(_statements(ctx)) <= SUBMIT_QUERIES, "\n".join(_statements(ctx))
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.number == resp.json()["number"]
    assert WorkItem.objects.filter(case=case, step="accept", status=WorkItem.Status.OPEN).exists()
    assert list(OutboxEvent.objects.filter(payload__case_id=case.pk).values_list("name", flat=True)
                .order_by("id")) == ["case.drafted", "case.submitted", "workitem.created"]
    assert audit.verify().ok


@pytest.mark.django_db
def test_review_step_stays_within_its_query_budget_and_answers_the_case_state(client, world):
    case = _in_review(world)
    undertake = open_item(case, "undertake")
    with CaptureQueriesContext(connection) as ctx:
        resp = post(client, f"/api/v1/worklist/{undertake.pk}/act", {"action": "pass", "opinion": "同意"},
                    **bearer(world["undertaker"]))
    assert resp.status_code == 200, resp.content
    assert len(_statements(ctx)) <= REVIEW_STEP_QUERIES, "\n".join(_statements(ctx))
    body = resp.json()
    assert body["id"] == case.pk and body["status"] == "in_review" and body["pauses"] == []
    assert body["current_steps"] == [{"step": "review", "step_label": "审核", "department_code": "market",
                                      "role": "reviewer"}]
    assert {"number", "status_label", "due_date", "due_provisional", "remaining_working_days", "warning"} <= set(body)
    # the step is recorded in one go: timeline, audit, the next work item and its event
    assert TimelineEntry.objects.filter(case=case, step="承办").count() == 1
    assert AuditRecord.objects.filter(action="case.step", object_id=str(case.pk)).count() == 1
    assert OutboxEvent.objects.filter(name="workitem.created", payload__step="review").count() == 1
    assert audit.verify().ok


@pytest.mark.django_db
def test_act_saves_only_what_it_changed(world):
    case = _in_review(world)
    Case.objects.filter(pk=case.pk).update(form_data={"applicant_name": "李四"})  # changed behind its back
    handling.act(world["undertaker"], open_item(case, "undertake"), "pass")
    case.refresh_from_db()
    assert case.form_data == {"applicant_name": "李四"} and case.lock_version == 2
    assert open_item(case, "review")


@pytest.mark.django_db
def test_act_on_an_unknown_work_item_is_404(client, world):
    resp = post(client, "/api/v1/worklist/999999/act", {"action": "pass"}, **bearer(world["undertaker"]))
    assert resp.status_code == 404 and resp.json()["code"] == "unknown_work_item"


@pytest.mark.django_db
def test_deferred_audit_records_are_chained_at_the_end_in_order():
    audit.record("test.before")
    with transaction.atomic(), audit.deferred():
        first = audit.record("test.one", summary="一")
        with audit.deferred():  # nested: the outer block writes
            audit.record("test.two", summary="二")
        assert first.pk is None and not AuditRecord.objects.filter(action__startswith="test.t").exists()
        audit.record("test.three", summary="三")
    assert list(AuditRecord.objects.order_by("seq").values_list("action", "seq")) == [
        ("test.before", 1), ("test.one", 2), ("test.two", 3), ("test.three", 4)]
    assert first.seq == 2 and audit.verify().ok


@pytest.mark.django_db
def test_deferred_audit_records_go_with_a_failed_transaction():
    with pytest.raises(RuntimeError), transaction.atomic(), audit.deferred():
        audit.record("test.lost")
        raise RuntimeError
    assert not AuditRecord.objects.exists()
    audit.record("test.kept")
    assert AuditRecord.objects.get().seq == 1 and audit.verify().ok


@pytest.mark.django_db(transaction=True)
def test_two_staff_acting_at_once_one_wins_the_other_gets_409():
    world = make_world()
    from yiwang.accounts.roles import Role
    from yiwang.cases.tests.helpers import staff

    second = staff("und2", Role.UNDERTAKER, world["market"])
    cases = [_in_review(world) for _ in range(3)]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def worker(user, item_pk):
        try:
            barrier.wait()
            handling.act(user, item_pk, "pass", {"opinion": "同意"})
            outcomes.append("ok")
        except Conflict:
            outcomes.append("409")
        finally:
            connections.close_all()

    for case in cases:
        pk = open_item(case, "undertake").pk
        threads = [threading.Thread(target=worker, args=(u, pk)) for u in (world["undertaker"], second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(outcomes) == ["409"] * 3 + ["ok"] * 3
    for case in cases:
        assert WorkItem.objects.filter(case=case, step="review", status=WorkItem.Status.OPEN).count() == 1
        assert TimelineEntry.objects.filter(case=case, step="承办").count() == 1
    assert audit.verify().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_numbers_and_a_sound_audit_chain():
    world = make_world()
    item = factories.item("事项", department_obj=world["market"])
    drafts = []
    for _ in range(6):
        case, _created = applying.create_draft(world["citizen"], item.code)
        complete(case)
        drafts.append(case)
    errors: list[Exception] = []

    def worker(batch):
        try:
            for case in batch:
                applying.submit(world["citizen"], case, declaration=True)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(drafts[i::3],)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = list(Case.objects.filter(pk__in=[c.pk for c in drafts]).values_list("number", flat=True))
    assert len(set(numbers)) == 6 and all(numbers)
    assert audit.verify().ok


@pytest.mark.django_db
def test_submit_by_id_checks_who_asks_on_the_locked_row(client, world):
    from yiwang.accounts.models import User

    item = factories.item("事项", department_obj=world["market"])
    case, _ = applying.create_draft(world["citizen"], item.code)
    complete(case)
    stranger = User.objects.create_user(username="stranger", password="x", level=2)
    resp = post(client, f"/api/v1/cases/{case.pk}/submit", {"declaration": True}, **bearer(stranger))
    assert resp.status_code == 403
    assert AuditRecord.objects.filter(action="case.access_denied", actor_label="stranger").exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT and case.number is None
    assert post(client, "/api/v1/cases/999999/submit", {"declaration": True},
                **bearer(world["citizen"])).status_code == 404
    assert audit.verify().ok
