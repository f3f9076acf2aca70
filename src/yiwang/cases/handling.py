"""Case handling (受理 → 审查 → 决定 → 办结 → 送达): every action is one transaction on the locked
case row, checked against the transition table, recorded in the timeline and the audit log, and
announced in DESIGN §4.2 order through the outbox. Review steps run on the BPMN engine; its
ready user tasks are mirrored into work items."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.policies import holds
from yiwang.cases import deadlines, workflow
from yiwang.cases.models import Case, CaseMaterial, DeliveryMethod, Pause, TimelineEntry, WorkItem
from yiwang.cases.status import CaseStatus, Outcome, ResultCode, can_transition
from yiwang.core import audit, workdays
from yiwang.core.api import ApiError, Conflict
from yiwang.core.clock import today
from yiwang.core.events import emit
from yiwang.org.models import Department

CORRECTION_REPLY_WORKING_DAYS = 5
WINDOW_ACTIONS = ["accept", "refuse", "request_correction"]
STEP_ACTIONS = {
    "accept": WINDOW_ACTIONS,
    "undertake": ["pass"],
    "review": ["pass", "return"],
    "approve": ["decide_grant", "decide_deny", "return"],
    "joint_review": ["pass"],
    "decide": ["decide_grant", "decide_deny", "return"],
    "accept_instant": ["decide_grant", "decide_deny"],
    "complete": ["complete"],
    "deliver": ["deliver"],
}


def actions_for(item: WorkItem) -> list[str]:
    return list(STEP_ACTIONS.get(item.step, [])) if item.status == WorkItem.Status.OPEN else []


def _label(user) -> str:
    return (user.name or user.username) if user else "系统"


def _move(case: Case, target: str, *, actor, step: str, action: str = TimelineEntry.Action.OTHER,
          opinion: str = "", department: Department | None = None, started_at: dt.datetime | None = None) -> None:
    if not can_transition(case.status, target):
        raise Conflict("invalid_transition", _("办件当前状态“%(s)s”不能执行该操作。") % {"s": case.get_status_display()})
    now = timezone.now()
    TimelineEntry.objects.create(case=case, step=step, action=action, actor=actor, actor_label=_label(actor),
                                 department=department, opinion=opinion, status_from=case.status, status_to=target,
                                 started_at=started_at or now, ended_at=now)
    audit.record(f"case.{target}", actor=actor, obj=case, summary=f"{case.number} {step}：{case.get_status_display()} → "
                 f"{CaseStatus(target).label}", data={"opinion": opinion[:200]})
    case.status = target


def _record_step(case: Case, *, actor, step: str, action: str, opinion: str, department, started_at) -> None:
    """A review step that does not change the case status (承办, 审核 …)."""
    now = timezone.now()
    TimelineEntry.objects.create(case=case, step=step, action=action, actor=actor, actor_label=_label(actor),
                                 department=department, opinion=opinion, status_from=case.status,
                                 status_to=case.status, started_at=started_at, ended_at=now)
    audit.record("case.step", actor=actor, obj=case, summary=f"{case.number} {step}（{action}）")


def _work(case: Case, step: str, label: str, role: str, department: Department, task_id: str = "") -> WorkItem:
    item = WorkItem.objects.create(case=case, step=step, step_label=label, role=role, department=department,
                                   task_id=task_id, due_date=case.due_date)
    emit("workitem.created", {"case_id": case.pk, "work_item_id": item.pk, "step": step,
                              "department": department.code, "role": role})
    return item


def _sync_work_items(case: Case, run) -> None:
    """Mirror the engine's ready user tasks: open new ones, cancel vanished ones."""
    ready = {t.task_id: t for t in workflow.ready_tasks(run)}
    for wi in case.work_items.filter(status=WorkItem.Status.OPEN).exclude(task_id=""):
        if wi.task_id not in ready:
            wi.status = WorkItem.Status.CANCELLED
            wi.save(update_fields=["status"])
    known = set(case.work_items.exclude(task_id="").values_list("task_id", flat=True))
    departments = {d.code: d for d in Department.objects.filter(code__in={t.department for t in ready.values()})}
    for task in ready.values():
        if task.task_id not in known:
            _work(case, task.step, task.step_label, task.role, departments.get(task.department, case.department),
                  task.task_id)


def _lock(work_item: WorkItem, actor) -> tuple[WorkItem, Case]:
    """Lock the case, then check the work item is still open and the actor may do it."""
    case = Case.objects.select_for_update().get(pk=work_item.case_id)
    wi = WorkItem.objects.select_related("department").get(pk=work_item.pk)
    if wi.status != WorkItem.Status.OPEN:
        raise Conflict("already_done", _("该待办已由他人办理，请刷新。"))
    if not holds(actor, wi.role, wi.department):
        raise PermissionDenied(_("您不是该环节所在部门的经办人员。"))
    if wi.assignee_id and wi.assignee_id != actor.pk:
        raise Conflict("claimed", _("该待办已被他人签收。"))
    return wi, case


def _finish(wi: WorkItem, actor, action: str) -> None:
    wi.status, wi.completed_at, wi.completed_by, wi.action = WorkItem.Status.DONE, timezone.now(), actor, action
    wi.assignee = wi.assignee or actor
    wi.save(update_fields=["status", "completed_at", "completed_by", "action", "assignee"])


def act(actor, work_item: WorkItem, action: str, data: dict[str, Any] | None = None) -> Case:
    """Claim (if unclaimed) and act on a work item. Two staff at once: one succeeds, the other
    gets 409; the case is never half-moved (one transaction on the locked case row)."""
    data = data or {}
    opinion = str(data.get("opinion") or "")[:2000]
    if action not in STEP_ACTIONS.get(work_item.step, []):
        raise ApiError("invalid_action", _("该环节不能执行此操作。"), {"action": _("可选：%(a)s") % {
            "a": "、".join(STEP_ACTIONS.get(work_item.step, []))}})
    with transaction.atomic():
        wi, case = _lock(work_item, actor)
        handler = {"accept": _accept, "refuse": _refuse, "request_correction": _request_correction,
                   "complete": _complete, "deliver": _deliver}.get(action, _review_step)
        handler(actor, wi, case, action, opinion, data)
        _finish(wi, actor, action)
        case.lock_version += 1
        case.save()
    return case


def claim(actor, work_item: WorkItem) -> WorkItem:
    """签收: the work item becomes the actor's own; others see it as taken (409 if already claimed)."""
    with transaction.atomic():
        wi, case = _lock(work_item, actor)
        if wi.assignee_id != actor.pk:
            wi.assignee = actor
            wi.save(update_fields=["assignee"])
            audit.record("case.workitem_claimed", actor=actor, obj=case, summary=f"{case.number} 签收 {wi.step_label}")
    return wi


def release(actor, work_item: WorkItem) -> WorkItem:
    """退签: give a claimed item back to the department queue (only the one who claimed it)."""
    with transaction.atomic():
        wi, case = _lock(work_item, actor)
        if wi.assignee_id is None:
            raise Conflict("not_claimed", _("该待办尚未签收。"))
        wi.assignee = None
        wi.save(update_fields=["assignee"])
        audit.record("case.workitem_released", actor=actor, obj=case, summary=f"{case.number} 退签 {wi.step_label}")
    return wi


# --- acceptance (综合窗口 / 部门窗口) ---------------------------------------------------------------


def _accept(actor, wi, case, action, opinion, data) -> None:
    version = case.item_version
    accepted_on = today()
    case.accepted_at = timezone.now()
    due = deadlines.due_date(accepted_on, version.promised_limit_value, version.promised_limit_unit)
    case.due_date, case.due_provisional = due.date, due.provisional
    _move(case, CaseStatus.ACCEPTED, actor=actor, step=_("受理"), action=TimelineEntry.Action.PASS, opinion=opinion,
          department=wi.department, started_at=wi.created_at)
    emit("case.accepted", {"case_id": case.pk, "number": case.number, "due_date": case.due_date})
    for m in case.materials.filter(status=CaseMaterial.Status.DEFERRED, deferred_due__isnull=True):
        m.deferred_due = workdays.add_working_days(accepted_on, CORRECTION_REPLY_WORKING_DAYS)
        m.save(update_fields=["deferred_due"])
    run = workflow.start(case.workflow_template or "promised", {
        "lead_department": case.department.code,
        "accepting_department": case.accepting_department.code,
        "joint_departments": sorted(d.code for d in version.joint_departments.all()),
    })
    if case.workflow_template != "instant":
        _move(case, CaseStatus.IN_REVIEW, actor=actor, step=_("转审查"), department=wi.department)
    case.workflow_state = json.dumps(workflow.serialize(run))
    _sync_work_items(case, run)


def _refuse(actor, wi, case, action, opinion, data) -> None:
    reason, basis = str(data.get("reason") or "").strip(), str(data.get("legal_basis") or "").strip()
    missing = {k: _("不予受理须写明理由和法律依据。") for k, v in (("reason", reason), ("legal_basis", basis)) if not v}
    if missing:
        raise ApiError("validation_error", _("请填写不予受理的理由和依据。"), missing)
    _move(case, CaseStatus.REFUSED, actor=actor, step=_("不予受理"), action=TimelineEntry.Action.RETURN,
          opinion=f"{reason}（依据：{basis}）", department=wi.department, started_at=wi.created_at)
    emit("case.refused", {"case_id": case.pk, "number": case.number, "reason": reason, "legal_basis": basis})


def _request_correction(actor, wi, case, action, opinion, data) -> None:
    """一次性告知: everything missing in one notice; the clock does not run until the reply."""
    items = data.get("missing") or []
    if not isinstance(items, list) or not items or not all(isinstance(x, str) and x.strip() for x in items):
        raise ApiError("validation_error", _("请列出全部需要补正的内容。"), {"missing": _("一次性告知须列明所有需补正的材料或内容")})
    reply_by = workdays.add_working_days(today(), CORRECTION_REPLY_WORKING_DAYS)
    case.correction_due = reply_by
    codes = {m.material_code for m in case.materials.all()}
    case.materials.filter(material_code__in=[x for x in items if x in codes]).update(
        status=CaseMaterial.Status.MISSING, file="", uploaded_at=None)
    Pause.objects.create(case=case, kind=Pause.Kind.CORRECTION, started_on=today())
    _move(case, CaseStatus.CORRECTION_REQUESTED, actor=actor, step=_("补正告知"), action=TimelineEntry.Action.RETURN,
          opinion="；".join(items) + (f"。{opinion}" if opinion else ""), department=wi.department,
          started_at=wi.created_at)
    emit("case.correction_requested", {"case_id": case.pk, "number": case.number, "missing": items,
                                       "reply_by": reply_by})


def resupply(actor, case: Case) -> Case:
    """The applicant re-supplies what the notice listed; the case goes back to the window."""
    from yiwang.cases.applying import check_party

    check_party(actor, case)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        missing = [m.material_code for m in case.materials.all()
                   if m.required and m.status == CaseMaterial.Status.MISSING]
        if missing:
            raise ApiError("incomplete_application", _("还有材料未补正。"),
                           {f"materials.{c}": _("请上传该材料。") for c in missing})
        case.pauses.filter(kind=Pause.Kind.CORRECTION, ended_on__isnull=True).update(ended_on=today())
        _move(case, CaseStatus.SUBMITTED, actor=actor, step=_("补正提交"), action=TimelineEntry.Action.PASS)
        case.save()
        _work(case, "accept", _("受理"), "window_clerk", case.accepting_department)
        emit("case.submitted", {"case_id": case.pk, "number": case.number, "resupplied": True})
    return case


# --- review (BPMN) -------------------------------------------------------------------------------


def _review_step(actor, wi, case, action, opinion, data) -> None:
    run = workflow.restore(case.workflow_template, json.loads(case.workflow_state))
    outcome = "return" if action == "return" else "pass"
    payload: dict[str, Any] = {"outcome": outcome, "opinion": opinion}
    if action in ("decide_grant", "decide_deny"):
        payload["decision"] = "grant" if action == "decide_grant" else "deny"
        if action == "decide_deny" and not str(data.get("reason") or "").strip():
            raise ApiError("validation_error", _("不予许可须写明理由。"), {"reason": _("请填写理由")})
    try:
        workflow.complete(run, wi.task_id, payload)
    except workflow.WorkflowError as exc:
        raise Conflict("workflow_conflict", str(exc)) from exc
    _record_step(case, actor=actor, step=wi.step_label,
                 action=TimelineEntry.Action.RETURN if outcome == "return" else TimelineEntry.Action.PASS,
                 opinion=opinion or str(data.get("reason") or ""), department=wi.department,
                 started_at=wi.created_at)
    case.workflow_state = json.dumps(workflow.serialize(run))
    _finish(wi, actor, action)
    if workflow.is_finished(run):
        decision = payload.get("decision") or Outcome.GRANT
        case.outcome, case.decided_at = decision, timezone.now()
        _move(case, CaseStatus.DECIDED, actor=actor, step=_("决定"), department=wi.department,
              opinion=str(data.get("reason") or opinion))
        emit("case.decided", {"case_id": case.pk, "number": case.number, "outcome": decision})
        instant = case.workflow_template == "instant"
        _work(case, "complete", _("办结"), "window_clerk" if instant else "undertaker",
              case.accepting_department if instant else case.department)
    else:
        _sync_work_items(case, run)


# --- completion and delivery ---------------------------------------------------------------------


def default_result_code(case: Case) -> str:
    if case.outcome == Outcome.DENY:
        return ResultCode.DONE
    return ResultCode.CERTIFICATE if case.item_version.certificate_type else ResultCode.DONE


def _complete(actor, wi, case, action, opinion, data) -> None:
    code = str(data.get("result_code") or default_result_code(case))
    if code not in ResultCode.values:
        raise ApiError("validation_error", _("办结结果代码无效。"), {"result_code": "、".join(ResultCode.values)})
    case.result_code, case.completed_at = code, timezone.now()
    _move(case, CaseStatus.COMPLETED, actor=actor, step=_("办结"), action=TimelineEntry.Action.PASS, opinion=opinion,
          department=wi.department, started_at=wi.created_at)
    emit("case.completed", {"case_id": case.pk, "number": case.number, "result_code": code})
    if case.delivery_method == DeliveryMethod.ELECTRONIC:
        case.delivered_at = timezone.now()
        _move(case, CaseStatus.DELIVERED, actor=None, step=_("电子送达"), action=TimelineEntry.Action.PASS)
        emit("case.delivered", {"case_id": case.pk, "number": case.number, "method": DeliveryMethod.ELECTRONIC})
    else:
        _work(case, "deliver", _("送达"), "window_clerk", case.accepting_department)


def _deliver(actor, wi, case, action, opinion, data) -> None:
    method = str(data.get("method") or case.delivery_method)
    if method not in (DeliveryMethod.POST, DeliveryMethod.WINDOW):
        raise ApiError("validation_error", _("送达方式应为邮寄或窗口领取。"), {"method": "post、window"})
    tracking = str(data.get("tracking_number") or "").strip()
    if method == DeliveryMethod.POST and not tracking:
        raise ApiError("validation_error", _("邮寄送达须填写快递单号。"), {"tracking_number": _("请填写快递单号")})
    case.delivery_method, case.tracking_number, case.delivered_at = method, tracking, timezone.now()
    _move(case, CaseStatus.DELIVERED, actor=actor, step=_("送达"), action=TimelineEntry.Action.PASS, opinion=opinion,
          department=wi.department, started_at=wi.created_at)
    emit("case.delivered", {"case_id": case.pk, "number": case.number, "method": method})


def withdraw(actor, case: Case, reason: str = "") -> Case:
    """The applicant withdraws before the decision (撤回)."""
    from yiwang.cases.applying import check_party

    check_party(actor, case)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _move(case, CaseStatus.WITHDRAWN, actor=actor, step=_("撤回"), opinion=reason)
        case.work_items.filter(status=WorkItem.Status.OPEN).update(status=WorkItem.Status.CANCELLED)
        case.save()
        emit("case.withdrawn", {"case_id": case.pk, "number": case.number})
    return case
