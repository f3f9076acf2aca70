"""Read models of cases for the API and screens, scoped by ``cases.policies``."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from yiwang.accounts.policies import departments_scope, staff_roles
from yiwang.cases import deadlines
from yiwang.cases.handling import actions_for
from yiwang.cases.models import Case, Pause, WorkItem
from yiwang.cases.status import TERMINAL, CaseStatus, Warning
from yiwang.core.clock import iso, today
from yiwang.org.models import Department

CLOCK_STOPPED = TERMINAL | {CaseStatus.COMPLETED}
CLOCK_PAUSED = {CaseStatus.SUSPENDED, CaseStatus.CORRECTION_REQUESTED}


def remaining(case: Case) -> int | None:
    if case.due_date is None or case.status in CLOCK_STOPPED:
        return None
    return deadlines.remaining_working_days(case.due_date, today())


def case_summary(case: Case) -> dict:
    rem = remaining(case)
    return {
        "id": case.pk, "number": case.number, "item_code": case.item.code, "item_name": case.item_version.name,
        "status": case.status, "status_label": case.get_status_display(),
        "due_date": case.due_date.isoformat() if case.due_date else None, "due_provisional": case.due_provisional,
        "remaining_working_days": rem, "warning": deadlines.warning_level(rem),
        "created_at": iso(case.created_at), "submitted_at": iso(case.submitted_at),
        "channel": case.channel, "parent_id": case.parent_id,
    }


def case_detail(case: Case) -> dict:
    data = case_summary(case)
    data.update({
        "bundle_code": case.bundle.code if case.bundle_id else None,
        "children": [case_summary(c) for c in case.children.select_related("item", "item_version")],
        "proxy_agent": (case.proxy_agent.name or case.proxy_agent.username) if case.proxy_agent_id else None,
        "pauses": [{"kind": p.kind, "kind_label": p.get_kind_display(), "started_on": p.started_on.isoformat(),
                    "ended_on": p.ended_on.isoformat() if p.ended_on else None, "result": p.result}
                   for p in case.pauses.all()],
        "extensions": [{"working_days": e.working_days, "reason": e.reason, "approved_at": iso(e.approved_at)}
                       for e in case.extensions.all()],
        "correction_due": case.correction_due.isoformat() if case.correction_due else None,
        "department_code": case.department.code, "accepting_department_code": case.accepting_department.code,
        "channel": case.channel, "form": case.form_data, "outcome": case.outcome or None,
        "result_code": case.result_code or None, "delivery_method": case.delivery_method,
        "materials": [{"code": m.material_code, "name": m.name, "required": m.required, "status": m.status}
                      for m in case.materials.all()],
        "current_steps": [{"step": w.step, "step_label": w.step_label, "department_code": w.department.code,
                           "role": w.role} for w in case.work_items.filter(status=WorkItem.Status.OPEN)
                          .select_related("department")],
        "timeline": [{"step": t.step, "action": t.action, "action_label": t.get_action_display(),
                      "actor": t.actor_label, "department_code": t.department.code if t.department else None,
                      "opinion": t.opinion, "status_from": t.status_from, "status_to": t.status_to,
                      "started_at": iso(t.started_at), "ended_at": iso(t.ended_at)}
                     for t in case.timeline.select_related("department")],
    })
    return data


def case_state(case: Case) -> dict:
    """Where an action left the case (the answer of ``act``): status, deadline, the steps now
    open and the pauses — from small tables only, in one round trip; the full record is
    :func:`case_detail`."""
    rem = remaining(case)
    steps, pauses = _open_steps_and_pauses(case.pk)
    return {
        "id": case.pk, "number": case.number, "status": case.status, "status_label": case.get_status_display(),
        "due_date": case.due_date.isoformat() if case.due_date else None, "due_provisional": case.due_provisional,
        "remaining_working_days": rem, "warning": deadlines.warning_level(rem),
        "correction_due": case.correction_due.isoformat() if case.correction_due else None,
        "outcome": case.outcome or None, "result_code": case.result_code or None,
        "current_steps": [{"step": step, "step_label": label, "department_code": code, "role": role}
                          for step, label, code, role in steps],
        "pauses": [{"kind": kind, "kind_label": str(Pause.Kind(kind).label), "started_on": _iso_date(started),
                    "ended_on": _iso_date(ended), "result": result}
                   for kind, started, ended, result in pauses],
    }


def _open_steps_and_pauses(case_id: int) -> tuple[list[tuple], list[tuple]]:
    """The case's open work items (in the work item order: due date, id) and its pauses (by id),
    as one UNION query: the answer of every action pays one round trip for both."""
    q = connection.ops.quote_name
    wi, dept, pause = (q(m._meta.db_table) for m in (WorkItem, Department, Pause))
    sql = (f"SELECT 0, w.step, w.step_label, d.code, w.role, NULL, NULL, w.due_date, w.id FROM {wi} w "
           f"INNER JOIN {dept} d ON d.id = w.department_id WHERE w.case_id = %s AND w.status = %s "
           f"UNION ALL SELECT 1, p.kind, NULL, NULL, p.result, p.started_on, p.ended_on, NULL, p.id "
           f"FROM {pause} p WHERE p.case_id = %s ORDER BY 1, 8, 9")
    with connection.cursor() as cursor:
        cursor.execute(sql, [case_id, WorkItem.Status.OPEN, case_id])
        rows = cursor.fetchall()
    steps = [(step, label, code, role) for part, step, label, code, role, *_rest in rows if part == 0]
    pauses = [(kind, started, ended, result) for part, kind, _l, _c, result, started, ended, *_r in rows if part == 1]
    return steps, pauses


def _iso_date(value) -> str | None:
    """A date column read by a plain cursor: a date (PostgreSQL) or its ISO text (SQLite)."""
    if value is None:
        return None
    return value if isinstance(value, str) else value.isoformat()


# Large columns a worklist row never shows.
WORKLIST_DEFERRED = ("case__form_data", "case__workflow_state", "case__item_version__form_schema",
                     "case__item_version__form_ui")


def worklist(user, status: str = "todo", case_number: str = "") -> QuerySet[WorkItem]:
    """待办 / 已办 / 预警 / 超期 for the departments and roles the user holds."""
    roles = staff_roles(user)
    if not roles:
        return WorkItem.objects.none()
    scope = Q()
    depts = departments_scope(user)
    for r in roles:
        if r.department_id:
            scope |= Q(role=r.role, department_id=r.department_id)
        elif r.region_id:
            scope |= Q(role=r.role, department__in=depts)
    qs = (WorkItem.objects.filter(scope).select_related("case__item_version", "department")
          .defer(*WORKLIST_DEFERRED))
    if status == "done":
        qs = qs.filter(status=WorkItem.Status.DONE, completed_by=user).order_by("-completed_at", "-id")
    else:
        qs = qs.filter(status=WorkItem.Status.OPEN).order_by("due_date", "id")
        if status in ("warning", "overdue"):
            qs = _by_warning(qs, status)
    if case_number:
        qs = qs.filter(case__number=case_number.strip()[:50])
    return qs


def _by_warning(qs: QuerySet[WorkItem], level: str) -> QuerySet[WorkItem]:
    """黄灯 / 红灯 among cases whose clock runs (not in 补正 or a special procedure)."""
    return qs.exclude(case__status__in=CLOCK_PAUSED).filter(deadlines.warning_q(level, today(), "case__"))


def work_item_dict(wi: WorkItem) -> dict:
    rem = remaining(wi.case)
    return {
        "id": wi.pk, "case_id": wi.case_id, "case_number": wi.case.number, "item_name": wi.case.item_version.name,
        "step": wi.step, "step_label": wi.step_label, "role": wi.role, "department_code": wi.department.code,
        "actions": actions_for(wi), "assignee_id": wi.assignee_id,
        "due_date": wi.case.due_date.isoformat() if wi.case.due_date else None,
        "warning": deadlines.warning_level(rem) if rem is not None else Warning.NORMAL,
    }


def proxy_principals(agent) -> list[dict]:
    """Citizens who authorised this proxy agent (valid today), with the items covered."""
    from yiwang.accounts.models import ProxyAuthorization
    from yiwang.core.masking import mask_id_number

    rows = []
    for a in ProxyAuthorization.objects.filter(agent=agent, revoked_at__isnull=True).select_related("grantor"):
        if a.is_valid_on(today()):
            rows.append({"authorization_id": a.pk, "user_id": a.grantor_id, "name": a.grantor.name,
                         "id_number": mask_id_number(a.grantor.id_number), "all_items": a.all_items,
                         "item_codes": list(a.item_codes or []), "valid_until": a.valid_until.isoformat()})
    return rows
