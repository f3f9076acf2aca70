"""The bench case generator (``yiwang bench seed``): seeded cases must look exactly like cases the
services made — valid states with the matching open work items, unique numbers, a timeline,
working progress query, worklists, and open steps and drafts that the real services accept."""

import random
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.services.staff import assign_role
from yiwang.accounts.tokens import issue_token
from yiwang.cases import applying, benchseed, handling, progress
from yiwang.cases.models import Case, CaseCounter, CaseMaterial, TimelineEntry, WorkItem
from yiwang.cases.status import CaseStatus
from yiwang.catalog import formschema
from yiwang.org.models import Department

S = CaseStatus
NUMBER = re.compile(r"^\d{6}(\d{8})(\d{6})$")
CLOSED = {S.DRAFT, S.DELIVERED, S.REFUSED, S.WITHDRAWN, S.CORRECTION_REQUESTED}


def expected_open_steps(case: Case) -> set[str]:
    """Which open work items a case in its status has (DESIGN §4.2, handling.py)."""
    template = case.workflow_template
    return {
        S.SUBMITTED: {"accept"},
        S.ACCEPTED: {"accept_instant"},
        S.IN_REVIEW: {"joint_review", "decide"} if template == "joint" else {"undertake", "review", "approve"},
        S.DECIDED: {"complete"},
        S.COMPLETED: {"deliver"},
    }.get(case.status, set())


def check_consistency(cases) -> Counter:
    statuses = Counter()
    now = timezone.now()
    open_items = {}
    for wi in WorkItem.objects.filter(case__in=cases, status=WorkItem.Status.OPEN):
        open_items.setdefault(wi.case_id, []).append(wi)
    timelines = {}
    for t in TimelineEntry.objects.filter(case__in=cases).order_by("case_id", "id"):
        timelines.setdefault(t.case_id, []).append(t)
    for case in cases.select_related("item_version", "department", "accepting_department"):
        statuses[case.status] += 1
        assert case.status in S.values
        items = open_items.get(case.pk, [])
        wanted = expected_open_steps(case)
        assert {wi.step for wi in items} <= wanted and (bool(items) == bool(wanted)), (case.status, items)
        for wi in items:
            if wi.step in ("accept", "accept_instant", "deliver"):
                assert (wi.role, wi.department_id) == ("window_clerk", case.accepting_department_id)
            elif wi.step == "complete":
                instant = case.workflow_template == "instant"
                assert wi.role == ("window_clerk" if instant else "undertaker")
                assert wi.department_id == (case.accepting_department_id if instant else case.department_id)
            else:
                role = {"undertake": "undertaker", "review": "reviewer", "approve": "approver",
                        "joint_review": "reviewer", "decide": "approver"}[wi.step]
                assert wi.role == role and wi.task_id
                if wi.step != "joint_review":
                    assert wi.department_id == case.department_id
        if wanted and items and case.status != S.SUBMITTED and case.status != S.COMPLETED:
            assert case.workflow_state, "an open review keeps its workflow state"
        steps = timelines.get(case.pk, [])
        if case.status == S.DRAFT:
            assert not steps and not case.number and not case.query_password
            continue
        assert steps and steps[0].step == "申报" and steps[-1].status_to == case.status
        assert all(a.status_to == b.status_from for a, b in zip(steps, steps[1:], strict=False))
        match = NUMBER.match(case.number or "")
        assert match and case.query_password and len(case.query_password) == 6
        moments = [case.created_at, case.submitted_at, case.accepted_at, case.decided_at, case.completed_at,
                   case.delivered_at]
        moments = [m for m in moments if m is not None]
        assert moments == sorted(moments) and moments[-1] <= now
        assert all(t.started_at <= t.ended_at <= now for t in steps)
        if case.status not in (S.SUBMITTED, S.REFUSED, S.CORRECTION_REQUESTED) and case.accepted_at:
            assert case.due_date and case.due_date >= case.accepted_at.date()
        assert not formschema.validate(case.item_version.form_schema, case.form_data)
    return statuses


@pytest.fixture
def seeded(db):
    benchseed.seed(200, batch=70, log=lambda message: None)
    return Case.objects.filter(idempotency_key__startswith=benchseed.KEY_PREFIX)


def market_staff(username="benchlike"):
    """A bench-like staff member: every step role of the market department."""
    user = User.objects.create_user(username=username, password="x", name="压测", level=2)
    market = Department.objects.get(code="market")
    for role in (Role.UNDERTAKER, Role.REVIEWER, Role.APPROVER, Role.WINDOW_CLERK):
        assign_role(user, role, department=market)
    return user


@pytest.mark.django_db
def test_seeded_cases_are_consistent(seeded, client):
    assert seeded.count() == 200
    statuses = check_consistency(seeded)
    assert statuses[S.DELIVERED] > 100 and len(statuses) >= 6, statuses
    numbers = [n for n in seeded.values_list("number", flat=True) if n]
    assert len(numbers) == len(set(numbers))
    # the daily counters moved past every number used, so real submissions never collide
    for number in numbers:
        match = NUMBER.match(number)
        day = timezone.datetime.strptime(match.group(1), "%Y%m%d").date()
        counter = CaseCounter.objects.get(region_code=number[:6], day=day)
        assert counter.last >= int(match.group(2))
    assert CaseMaterial.objects.filter(case__in=seeded).exclude(case__status=S.DRAFT).filter(
        required=True, status=CaseMaterial.Status.MISSING).exclude(case__status=S.CORRECTION_REQUESTED).count() == 0
    for item in benchseed._items():  # every demo form gets valid sample data
        sample = benchseed.sample_form(item.schema, random.Random(1), benchseed.Person(1, "张三"))
        assert not formschema.validate(item.schema, sample), item.code

    # the anonymous progress query, and the worklist and case detail of a bench-like staff member
    case = seeded.exclude(status=S.DRAFT).order_by("?").first()
    result = progress.query(case.number, case.query_password, ip="203.0.113.9")
    assert result["status"] == case.status and result["steps"]
    staff = market_staff()
    benchseed.fixture_review_items("market", 3)
    token = issue_token(staff)[0]
    body = client.get("/api/v1/worklist?status=todo", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["total"] >= 3 and all(i["department_code"] == "market" for i in body["items"])
    detail = client.get(f"/api/v1/cases/{body['items'][0]['case_id']}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert detail.status_code == 200 and detail.json()["timeline"]


@pytest.mark.django_db
def test_open_steps_and_drafts_work_with_the_real_services(seeded):
    """Every kind of open work item can be acted on (the workflow state restores), and fixture
    drafts pass the real submission checks; ``seed`` tops up, ``--clear`` removes everything."""
    acted = Counter()
    for wi in WorkItem.objects.filter(case__in=seeded, status=WorkItem.Status.OPEN).select_related("department"):
        if acted[wi.step] >= 2:
            continue
        actor = User.objects.filter(staff_roles__role=wi.role, staff_roles__department=wi.department).first()
        if wi.assignee_id:
            actor = User.objects.get(pk=wi.assignee_id)
        action = handling.STEP_ACTIONS[wi.step][0]
        handling.act(actor, wi, action, {"method": "window"} if action == "deliver" else {"opinion": "同意"})
        acted[wi.step] += 1
    assert {"accept", "undertake"} <= set(acted)
    staff = market_staff()
    items = benchseed.fixture_review_items("market", 4)
    assert len(items) == 4
    for pk in items:
        handling.act(staff, WorkItem.objects.get(pk=pk), "pass", {"opinion": "同意"})
        assert WorkItem.objects.get(pk=pk).status == WorkItem.Status.DONE
    applicant = User.objects.create_user(username="benchapplicant", password="x", name="申请人", level=2)
    for case_id in benchseed.fixture_drafts(applicant, "market", 5):
        case = applying.submit(applicant, Case.objects.get(pk=case_id), declaration=True)
        assert case.status == S.SUBMITTED and NUMBER.match(case.number)

    # top up, then clear
    assert benchseed.seed(200, log=lambda message: None)["created"] == 0
    assert benchseed.seed(230, log=lambda message: None)["created"] == 30
    keys = list(seeded.values_list("idempotency_key", flat=True))
    assert len(keys) == len(set(keys)) == 230
    benchseed.fixture_review_items("market", 2)
    call_command("bench", "seed", "--cases", "0", "--clear")
    assert not Case.objects.filter(idempotency_key__startswith="bench").exists()
    assert not User.objects.filter(username__startswith=benchseed.STAFF_PREFIX).exists()
