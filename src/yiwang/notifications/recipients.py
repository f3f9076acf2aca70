"""Turn outbox events into intents: who should hear what, with which template context.

Everything is looked up for a whole batch at once (one query per kind of row), because the
dispatcher hands over up to a few hundred events at a time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse

from yiwang.core import clock
from yiwang.core.models import OutboxEvent
from yiwang.notifications.rules import CHILD_CASE_EVENTS


@dataclass
class Intent:
    event: OutboxEvent
    user_id: int
    context: dict = field(default_factory=dict)
    case_id: int | None = None
    case_number: str = ""


def _case_context(case, payload: dict) -> dict:
    ctx = {k: v for k, v in payload.items() if isinstance(v, str | int | float | bool | list) or v is None}
    ctx.update({"number": case.number or "", "item_name": case.item_version.name, "case_id": case.pk,
                "due_date": case.due_date.isoformat() if case.due_date else payload.get("due_date")})
    if case.tracking_number:
        ctx["tracking_number"] = case.tracking_number
    return ctx


def applicant_intents(events: list[OutboxEvent]) -> list[Intent]:
    from yiwang.cases.models import Case

    ids = {e.payload.get("case_id") for e in events}
    cases = Case.objects.select_related("item_version").only(
        "id", "number", "parent_id", "applicant_id", "proxy_agent_id", "due_date", "tracking_number",
        "item_version__name",
    ).in_bulk([i for i in ids if i])
    intents = []
    for e in events:
        case = cases.get(e.payload.get("case_id"))
        if case is None or (case.parent_id and e.name not in CHILD_CASE_EVENTS):
            continue
        ctx = _case_context(case, e.payload)
        ctx["link"] = reverse("cases:detail", args=[case.pk])
        people = [case.applicant_id] + ([case.proxy_agent_id] if case.proxy_agent_id else [])
        intents += [Intent(e, uid, ctx, case.pk, case.number or "") for uid in people]
    return intents


def _staff_by_item(items) -> dict[int, set[int]]:
    """Work item id → ids of active staff holding its role for its department (directly, or for a
    region the department lies in)."""
    from yiwang.accounts.models import StaffRole

    roles = {wi.role for wi in items}
    depts = {wi.department_id for wi in items}
    direct: dict[tuple[str, int], set[int]] = defaultdict(set)
    for user_id, role, dept in StaffRole.objects.filter(
        role__in=roles, department_id__in=depts, user__is_active=True
    ).values_list("user_id", "role", "department_id"):
        direct[(role, dept)].add(user_id)
    regional = list(StaffRole.objects.filter(role__in=roles, region__isnull=False, user__is_active=True)
                    .select_related("region").only("user_id", "role", "region__code", "region__level"))
    result = {}
    for wi in items:
        users = set(direct.get((wi.role, wi.department_id), ()))
        code = wi.department.region_id or ""
        users |= {r.user_id for r in regional
                  if r.role == wi.role and code.startswith(r.region.descendant_codes_prefix())}
        result[wi.pk] = users
    return result


def _work_items(q):
    from yiwang.cases.models import WorkItem

    return list(WorkItem.objects.filter(q).select_related("case__item_version", "department").only(
        "id", "case_id", "step", "step_label", "role", "department_id", "department__region_id", "assignee_id",
        "status", "case__number", "case__due_date", "case__tracking_number", "case__item_version__name",
    ))


def staff_intents(events: list[OutboxEvent]) -> list[Intent]:
    from django.db.models import Q

    from yiwang.cases.models import WorkItem

    by_id = [e.payload["work_item_id"] for e in events if e.payload.get("work_item_id")]
    by_case = {e.payload.get("case_id") for e in events if not e.payload.get("work_item_id")}
    q = Q(pk__in=by_id) if by_id else Q(pk__in=[])
    if by_case:
        q |= Q(case_id__in=by_case, status=WorkItem.Status.OPEN)
    items = _work_items(q)
    staff = _staff_by_item(items)
    item_by_id = {wi.pk: wi for wi in items}
    open_by_case: dict[int, list] = defaultdict(list)
    for wi in items:
        if wi.status == WorkItem.Status.OPEN:
            open_by_case[wi.case_id].append(wi)
    intents = []
    for e in events:
        wid = e.payload.get("work_item_id")
        if wid:
            targets = [item_by_id[wid]] if wid in item_by_id else []
        else:
            targets = open_by_case.get(e.payload.get("case_id"), [])
            if e.name == "workitem.created":
                targets = [wi for wi in targets if wi.step == e.payload.get("step")]
        for wi in targets:
            ctx = _case_context(wi.case, e.payload)
            ctx.update({"step_name": wi.step_label, "link": reverse("cases_workbench:case", args=[wi.case_id])})
            people = {wi.assignee_id} if (wi.assignee_id and e.name.startswith("deadline.")) else staff[wi.pk]
            intents += [Intent(e, uid, ctx, wi.case_id, wi.case.number or "") for uid in sorted(people)]
    return _unique(intents)


def account_intents(events: list[OutboxEvent]) -> list[Intent]:
    return [Intent(e, e.payload["user_id"], {"time": clock.iso(e.created_at), "link": reverse("accounts:profile")})
            for e in events if e.payload.get("user_id")]


def _unique(intents: list[Intent]) -> list[Intent]:
    """One message per event and person, even when two of the case's open steps reach the same person."""
    seen, out = set(), []
    for i in intents:
        key = (i.event.pk, i.user_id)
        if key not in seen:
            seen.add(key)
            out.append(i)
    return out
