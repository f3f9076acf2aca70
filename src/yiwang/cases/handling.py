"""Case handling (受理 → 审查 → 决定 → 办结 → 送达): every action is one transaction on the locked
case row, checked against the transition table, recorded in the timeline and the audit log, and
announced in DESIGN §4.2 order through the outbox. Review steps run on the BPMN engine; its
ready user tasks are mirrored into work items."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yiwang.accounts.policies import holds
from yiwang.cases import deadlines, workflow
from yiwang.cases.models import Case, CaseMaterial, DeliveryMethod, Extension, Pause, TimelineEntry, WorkItem
from yiwang.cases.status import WITHDRAWABLE, CaseStatus, Outcome, ResultCode, can_transition
from yiwang.core import audit, workdays
from yiwang.core.api import ApiError, Conflict, NotFound
from yiwang.core.clock import today
from yiwang.core.events import emit
from yiwang.org.models import Department

CORRECTION_REPLY_WORKING_DAYS = 5
WINDOW_ACTIONS = ["accept", "refuse", "request_correction"]
SPECIAL_ACTIONS = ["start_special", "extend"]  # 特别程序 and 延期 on any review step
STEP_ACTIONS = {
    "accept": WINDOW_ACTIONS,
    "undertake": ["pass", *SPECIAL_ACTIONS],
    "review": ["pass", "return", *SPECIAL_ACTIONS],
    "approve": ["decide_grant", "decide_deny", "return", *SPECIAL_ACTIONS],
    "joint_review": ["pass", *SPECIAL_ACTIONS],
    "decide": ["decide_grant", "decide_deny", "return", *SPECIAL_ACTIONS],
    "accept_instant": ["decide_grant", "decide_deny"],
    "complete": ["complete"],
    "deliver": ["deliver"],
}
# While a special procedure runs the step can only end it; these actions leave the work item open.
SUSPENDED_ACTIONS = ["end_special"]
KEEPS_ITEM_OPEN = {"start_special", "end_special", "extend"}


def actions_for(item: WorkItem) -> list[str]:
    if item.status != WorkItem.Status.OPEN:
        return []
    if item.case.status == CaseStatus.SUSPENDED:
        return list(SUSPENDED_ACTIONS) if item.step in _REVIEW_STEPS else []
    return list(STEP_ACTIONS.get(item.step, []))


def in_platform_language(message: str, **values) -> str:
    """Timeline text is stored in the platform language (zh-Hans), whatever language the actor's
    screen uses; fixed step names are stored as their msgid and translated when shown."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(message) % {k: str(v) for k, v in values.items()}


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


def _work(case: Case, step: str, label: str, role: str, department: Department | tuple[int, str],
          task_id: str = "") -> WorkItem:
    """Open a work item; ``department`` is the Department or its (id, code)."""
    dept_id, dept_code = (department.pk, department.code) if isinstance(department, Department) else department
    item = WorkItem.objects.create(case=case, step=step, step_label=label, role=role, department_id=dept_id,
                                   task_id=task_id, due_date=case.due_date)
    emit("workitem.created", {"case_id": case.pk, "work_item_id": item.pk, "step": step,
                              "department": dept_code, "role": role})
    return item


def _sync_work_items(case: Case, run, before: set[str] | None = None) -> None:
    """Mirror the engine's ready user tasks: open new ones, cancel vanished ones. ``before``: the
    ids of the tasks ready before the engine moved, less the one just done — every one of them
    mirrored by an open work item — which spares reading the mirrored ones back."""
    ready = {t.task_id: t for t in workflow.ready_tasks(run)}
    if before is None:
        mirrored = list(case.work_items.exclude(task_id="").values_list("task_id", "status"))
        still_open = {task_id for task_id, status in mirrored if status == WorkItem.Status.OPEN}
        known = {task_id for task_id, _status in mirrored}
    else:
        still_open = known = before
    vanished = still_open - ready.keys()
    if vanished:
        case.work_items.filter(task_id__in=vanished, status=WorkItem.Status.OPEN).update(
            status=WorkItem.Status.CANCELLED)
    new = [task for task in ready.values() if task.task_id not in known]
    if not new:
        return
    # The lead and accepting departments' codes are in the run's data (set at acceptance from
    # the case's own departments); only other ones (联审 departments) are looked up.
    started = run.data
    lead, accepting = started.get("lead_department"), started.get("accepting_department")
    departments = {code: (pk, code) for code, pk in ((accepting, case.accepting_department_id),
                                                     (lead, case.department_id)) if code}
    others = {task.department for task in new if task.department} - departments.keys()
    if others:
        departments.update((d.code, (d.pk, d.code)) for d in Department.objects.filter(code__in=others))
    for task in new:
        _work(case, task.step, task.step_label, task.role,
              departments.get(task.department) or case.department, task.task_id)


# Columns of the locked case no action reads: not decrypted or parsed on every step.
LOCK_DEFERRED = ("form_data", "query_password")


def _lock(work_item: WorkItem | int, actor, action: str | None = None) -> tuple[WorkItem, Case]:
    """Lock the case (its row only), then read the work item — a statement after the lock sees
    what a concurrent action committed — and check that ``action`` fits the step, the item is
    still open and the actor may do it."""
    pk = work_item if isinstance(work_item, int) else work_item.pk
    found = list(Case.objects.raw(_lock_sql(), [pk]))
    if not found:
        raise NotFound("unknown_work_item", _("待办不存在。"))
    case = found[0]
    wi = WorkItem.objects.select_related("department").get(pk=pk)
    if action is not None:
        _check_action(wi, action)
    if wi.status != WorkItem.Status.OPEN:
        raise Conflict("already_done", _("该待办已由他人办理，请刷新。"))
    if not holds(actor, wi.role, wi.department):
        raise PermissionDenied(_("您不是该环节所在部门的经办人员。"))
    if wi.assignee_id and wi.assignee_id != actor.pk:
        raise Conflict("claimed", _("该待办已被他人签收。"))
    return wi, case


@functools.cache
def _lock_sql() -> str:
    """The case of a work item, locked (its row only), without the LOCK_DEFERRED columns — the
    statement every action starts with, written out once instead of compiled on every call."""
    q = connection.ops.quote_name
    columns = ", ".join(f"c.{q(f.column)}" for f in Case._meta.concrete_fields if f.attname not in LOCK_DEFERRED)
    lock = " FOR UPDATE OF c" if connection.features.has_select_for_update_of else ""
    return (f"SELECT {columns} FROM {q(Case._meta.db_table)} c INNER JOIN {q(WorkItem._meta.db_table)} w "
            f"ON w.case_id = c.id WHERE w.id = %s{lock}")


def _check_action(wi: WorkItem, action: str) -> None:
    known = STEP_ACTIONS.get(wi.step, []) + (SUSPENDED_ACTIONS if wi.step in _REVIEW_STEPS else [])
    if action not in known:
        raise ApiError("invalid_action", _("该环节不能执行此操作。"), {"action": _("可选：%(a)s") % {
            "a": "、".join(STEP_ACTIONS.get(wi.step, []))}})


def _finish(wi: WorkItem, actor, action: str) -> None:
    wi.status, wi.completed_at, wi.completed_by, wi.action = WorkItem.Status.DONE, timezone.now(), actor, action
    if wi.assignee_id is None:
        wi.assignee = actor
    WorkItem.objects.filter(pk=wi.pk).update(status=wi.status, completed_at=wi.completed_at, completed_by=actor,
                                             action=action, assignee=wi.assignee_id)


def act(actor, work_item: WorkItem | int, action: str, data: dict[str, Any] | None = None) -> Case:
    """Claim (if unclaimed) and act on a work item (or the one with that id). Two staff at once:
    one succeeds, the other gets 409; the case is never half-moved (one transaction on the locked
    case row)."""
    data = data or {}
    opinion = str(data.get("opinion") or "")[:2000]
    with transaction.atomic(), audit.deferred():  # the audit chain's head is locked only at the end
        wi, case = _lock(work_item, actor, action)
        before = _values(case)
        if (case.status == CaseStatus.SUSPENDED) != (action == "end_special"):
            raise Conflict("invalid_transition", _("特别程序进行中只能结束特别程序；其他时候不能结束特别程序。")
                           if case.status == CaseStatus.SUSPENDED else _("当前没有进行中的特别程序。"))
        handler = {"accept": _accept, "refuse": _refuse, "request_correction": _request_correction,
                   "complete": _complete, "deliver": _deliver, "start_special": _start_special,
                   "end_special": _end_special, "extend": _extend}.get(action, _review_step)
        handler(actor, wi, case, action, opinion, data)
        if action not in KEEPS_ITEM_OPEN and wi.status == WorkItem.Status.OPEN:  # review steps finish earlier
            _finish(wi, actor, action)
        elif wi.assignee_id is None:  # acting claims the item
            wi.assignee = actor
            wi.save(update_fields=["assignee"])
        if case.status in CLOSED_STATUSES:
            case.workflow_state = ""  # serialized workflow state is kept only while a case is open
        case.lock_version += 1
        case.save(update_fields=[*_changed(case, before), "lock_version", "updated_at"])
        if case.parent_id:
            from yiwang.cases.bundles import follow_children

            follow_children(case.parent_id)
    return case


def _values(case: Case) -> dict[str, Any]:
    deferred = case.get_deferred_fields()
    return {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields if f.attname not in deferred}


def _changed(case: Case, before: dict[str, Any]) -> list[str]:
    """Fields the handler changed: saving only those keeps the big ones (form data, the encrypted
    query password) out of every step. Handlers assign new values, never edit one in place."""
    return [name for name, value in before.items() if getattr(case, name) != value and name != "id"]


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
    _move(case, CaseStatus.ACCEPTED, actor=actor, step=gettext_noop("受理"), action=TimelineEntry.Action.PASS, opinion=opinion,
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
        _move(case, CaseStatus.IN_REVIEW, actor=actor, step=gettext_noop("转审查"), department=wi.department)
    case.workflow_state = json.dumps(workflow.serialize(run))
    _sync_work_items(case, run)


def _refuse(actor, wi, case, action, opinion, data) -> None:
    reason, basis = str(data.get("reason") or "").strip(), str(data.get("legal_basis") or "").strip()
    missing = {k: _("不予受理须写明理由和法律依据。") for k, v in (("reason", reason), ("legal_basis", basis)) if not v}
    if missing:
        raise ApiError("validation_error", _("请填写不予受理的理由和依据。"), missing)
    _move(case, CaseStatus.REFUSED, actor=actor, step=gettext_noop("不予受理"), action=TimelineEntry.Action.RETURN,
          opinion=f"{reason}（依据：{basis}）", department=wi.department, started_at=wi.created_at)
    emit("case.refused", {"case_id": case.pk, "number": case.number, "reason": reason, "legal_basis": basis})


def _request_correction(actor, wi, case, action, opinion, data) -> None:
    """一次性告知: everything missing in one notice; the clock does not run until the reply."""
    items = data.get("missing") or []
    if not isinstance(items, list) or not items or not all(isinstance(x, str) and x.strip() for x in items):
        raise ApiError("validation_error", _("请列出全部需要补正的内容。"), {"missing": _("一次性告知须列明所有需补正的材料或内容")})
    reply_by = workdays.add_working_days(today(), CORRECTION_REPLY_WORKING_DAYS)
    case.correction_due = reply_by
    names = dict(case.materials.values_list("material_code", "name"))
    case.materials.filter(material_code__in=[x for x in items if x in names]).update(
        status=CaseMaterial.Status.MISSING, file="", uploaded_at=None)
    items = [names.get(x, x) for x in items]  # the notice names materials, not codes
    Pause.objects.create(case=case, kind=Pause.Kind.CORRECTION, started_on=today())
    _move(case, CaseStatus.CORRECTION_REQUESTED, actor=actor, step=gettext_noop("补正告知"), action=TimelineEntry.Action.RETURN,
          opinion="；".join(items) + (f"。{opinion}" if opinion else ""), department=wi.department,
          started_at=wi.created_at)
    emit("case.correction_requested", {"case_id": case.pk, "number": case.number, "missing": items,
                                       "reply_by": reply_by})


def resupply(actor, case: Case) -> Case:
    """The applicant re-supplies what the notice listed; the case goes back to the window."""
    from yiwang.cases.applying import check_party

    check_party(actor, case)
    with transaction.atomic(), audit.deferred():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.CORRECTION_REQUESTED:
            raise Conflict("invalid_transition", _("办件当前状态“%(s)s”不能提交补正。") % {"s": case.get_status_display()})
        from yiwang.cases.applying import form_of
        from yiwang.catalog import formschema

        missing = [m.material_code for m in case.materials.all()
                   if m.required and m.status == CaseMaterial.Status.MISSING]
        fields = {f"materials.{c}": _("请上传该材料。") for c in missing}
        fields.update({f"form.{k}": v for k, v in formschema.validate(form_of(case)[0], case.form_data).items()})
        if fields:
            raise ApiError("incomplete_application", _("还有内容未补正。"), fields)
        case.pauses.filter(kind=Pause.Kind.CORRECTION, ended_on__isnull=True).update(ended_on=today())
        _move(case, CaseStatus.SUBMITTED, actor=actor, step=gettext_noop("补正提交"), action=TimelineEntry.Action.PASS)
        case.save()
        _work(case, "accept", gettext_noop("受理"), "window_clerk", case.accepting_department)
        emit("case.submitted", {"case_id": case.pk, "number": case.number, "resupplied": True})
    return case


# --- review (BPMN) -------------------------------------------------------------------------------


def _review_step(actor, wi, case, action, opinion, data) -> None:
    run = workflow.restore(case.workflow_template, json.loads(case.workflow_state))
    before = {t.task_id for t in workflow.ready_tasks(run)} - {wi.task_id}
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
        _move(case, CaseStatus.DECIDED, actor=actor, step=gettext_noop("决定"), department=wi.department,
              opinion=str(data.get("reason") or opinion))
        emit("case.decided", {"case_id": case.pk, "number": case.number, "outcome": decision})
        instant = case.workflow_template == "instant"
        _work(case, "complete", gettext_noop("办结"), "window_clerk" if instant else "undertaker",
              case.accepting_department if instant else case.department)
    else:
        _sync_work_items(case, run, before)


# --- special procedures (特别程序) and extension (延期) -------------------------------------------

_REVIEW_STEPS = {"undertake", "review", "approve", "joint_review", "decide"}
CLOSED_STATUSES = {CaseStatus.COMPLETED, CaseStatus.DELIVERED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN,
                   CaseStatus.VOIDED, CaseStatus.TRANSFERRED}
SPECIAL_KINDS = [k for k in Pause.Kind.values if k != Pause.Kind.CORRECTION]
MAX_EXTENSION_WORKING_DAYS = 60


def recompute_due(case: Case) -> None:
    """承诺办结日 = 受理日 + 承诺时限 + working days inside special procedures + approved extensions."""
    if case.accepted_at is None:
        return
    version = case.item_version
    accepted_on = timezone.localdate(case.accepted_at)
    paused = deadlines.paused_working_days(
        [(p.started_on, p.ended_on) for p in case.pauses.exclude(kind=Pause.Kind.CORRECTION)], today())
    extended = sum(case.extensions.values_list("working_days", flat=True))
    due = deadlines.due_date(accepted_on, version.promised_limit_value, version.promised_limit_unit,
                             paused=paused, extended=extended)
    case.due_date, case.due_provisional = due.date, due.provisional
    case.work_items.filter(status=WorkItem.Status.OPEN).update(due_date=due.date)


def _start_special(actor, wi, case, action, opinion, data) -> None:
    kind = str(data.get("kind") or "")
    if kind not in SPECIAL_KINDS:
        raise ApiError("validation_error", _("请选择特别程序的种类。"), {"kind": "、".join(SPECIAL_KINDS)})
    pause = Pause.objects.create(case=case, kind=kind, started_on=today(), department=wi.department)
    _move(case, CaseStatus.SUSPENDED, actor=actor, step=in_platform_language("特别程序：%(k)s", k=pause.get_kind_display()),
          opinion=opinion, department=wi.department)
    emit("case.suspended", {"case_id": case.pk, "number": case.number, "kind": kind})


def _end_special(actor, wi, case, action, opinion, data) -> None:
    result = str(data.get("result") or opinion or "").strip()
    if not result:
        raise ApiError("validation_error", _("请填写特别程序的结果。"), {"result": _("请填写结果")})
    pause = case.pauses.filter(ended_on__isnull=True).exclude(kind=Pause.Kind.CORRECTION).last()
    if pause is None:
        raise Conflict("invalid_transition", _("当前没有进行中的特别程序。"))
    if pause.department_id and pause.department_id != wi.department_id:
        raise PermissionDenied(_("特别程序由 %(d)s 启动，只能由该部门结束。") % {"d": pause.department.name})
    pause.ended_on, pause.result = today(), result[:2000]
    pause.save(update_fields=["ended_on", "result"])
    back = CaseStatus.ACCEPTED if case.workflow_template == "instant" else CaseStatus.IN_REVIEW
    _move(case, back, actor=actor, step=in_platform_language("特别程序结束：%(k)s", k=pause.get_kind_display()), opinion=result,
          department=wi.department)
    recompute_due(case)
    emit("case.resumed", {"case_id": case.pk, "number": case.number, "kind": pause.kind,
                          "due_date": case.due_date})


def _extend(actor, wi, case, action, opinion, data) -> None:
    """延期: approved by an approver of the step's department, who is recorded on the extension."""
    fields = {}
    try:
        days = int(data.get("working_days") or 0)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_EXTENSION_WORKING_DAYS:
        fields["working_days"] = _("延期天数应为 1 至 %(n)s 个工作日。") % {"n": MAX_EXTENSION_WORKING_DAYS}
    reason = str(data.get("reason") or "").strip()
    if not reason:
        fields["reason"] = _("请填写延期理由。")
    if fields:
        raise ApiError("validation_error", _("延期申请不完整。"), fields)
    if not holds(actor, "approver", wi.department):
        raise PermissionDenied(_("延期须由本部门批准人员批准。"))
    Extension.objects.create(case=case, working_days=days, reason=reason[:300], approved_by=actor)
    before = case.due_date
    recompute_due(case)
    _record_step(case, actor=actor, step=gettext_noop("延期"), action=TimelineEntry.Action.OTHER,
                 opinion=in_platform_language("延长 %(d)s 个工作日：%(r)s（承诺办结日 %(a)s → %(b)s）", d=days, r=reason,
                                              a=before, b=case.due_date),
                 department=wi.department, started_at=timezone.now())
    emit("case.extended", {"case_id": case.pk, "number": case.number, "working_days": days,
                           "due_date": case.due_date})


# --- correction timeout (补正超时) ---------------------------------------------------------------


def expire_corrections(on: dt.date | None = None) -> list[str]:
    """Cases whose 补正 reply date has passed end with result 补正超时. Run daily (idempotent)."""
    on = on or today()
    done = []
    for pk in Case.objects.filter(status=CaseStatus.CORRECTION_REQUESTED, correction_due__lt=on).values_list(
            "pk", flat=True):
        with transaction.atomic(), audit.deferred():
            case = Case.objects.select_for_update().get(pk=pk)
            if case.status != CaseStatus.CORRECTION_REQUESTED or not case.correction_due or case.correction_due >= on:
                continue
            case.pauses.filter(kind=Pause.Kind.CORRECTION, ended_on__isnull=True).update(ended_on=on)
            case.result_code, case.completed_at = ResultCode.CORRECTION_TIMEOUT, timezone.now()
            _move(case, CaseStatus.COMPLETED, actor=None, step=gettext_noop("补正超时"), action=TimelineEntry.Action.RETURN,
                  opinion=in_platform_language("申请人未在 %(d)s 前补正，按补正超时办结。", d=case.correction_due))
            case.work_items.filter(status=WorkItem.Status.OPEN).update(status=WorkItem.Status.CANCELLED)
            case.workflow_state = ""
            case.save()
            emit("case.completed", {"case_id": case.pk, "number": case.number,
                                    "result_code": ResultCode.CORRECTION_TIMEOUT})
            if case.parent_id:
                from yiwang.cases.bundles import follow_children

                follow_children(case.parent_id)
            done.append(case.number)
    return done


# --- completion and delivery ---------------------------------------------------------------------


def default_result_code(case: Case) -> str:
    if case.outcome == Outcome.DENY:
        return ResultCode.DONE
    return ResultCode.CERTIFICATE if case.item_version.certificate_type else ResultCode.DONE


# Checks a higher app registers (the certificate library: 出证 only once the certificate exists).
# Each is ``check(case, result_code) -> str | None``; a message refuses the completion.
_completion_checks: list[Callable[[Case, str], str | None]] = []


def register_completion_check(check: Callable[[Case, str], str | None]) -> None:
    if check not in _completion_checks:
        _completion_checks.append(check)


def _complete(actor, wi, case, action, opinion, data) -> None:
    code = str(data.get("result_code") or default_result_code(case))
    if code not in ResultCode.values:
        raise ApiError("validation_error", _("办结结果代码无效。"), {"result_code": "、".join(ResultCode.values)})
    if actor is not None:
        for check in _completion_checks:
            refusal = check(case, code)
            if refusal:
                raise Conflict("completion_blocked", refusal)
    case.result_code, case.completed_at = code, timezone.now()
    _move(case, CaseStatus.COMPLETED, actor=actor, step=gettext_noop("办结"), action=TimelineEntry.Action.PASS, opinion=opinion,
          department=wi.department, started_at=wi.created_at)
    emit("case.completed", {"case_id": case.pk, "number": case.number, "result_code": code})
    if case.delivery_method == DeliveryMethod.ELECTRONIC:
        case.delivered_at = timezone.now()
        _move(case, CaseStatus.DELIVERED, actor=None, step=gettext_noop("电子送达"), action=TimelineEntry.Action.PASS)
        emit("case.delivered", {"case_id": case.pk, "number": case.number, "method": DeliveryMethod.ELECTRONIC})
    else:
        _work(case, "deliver", gettext_noop("送达"), "window_clerk", case.accepting_department)


def _deliver(actor, wi, case, action, opinion, data) -> None:
    method = str(data.get("method") or case.delivery_method)
    if method not in (DeliveryMethod.POST, DeliveryMethod.WINDOW):
        raise ApiError("validation_error", _("送达方式应为邮寄或窗口领取。"), {"method": "post、window"})
    tracking = str(data.get("tracking_number") or "").strip()
    if method == DeliveryMethod.POST and not tracking:
        raise ApiError("validation_error", _("邮寄送达须填写快递单号。"), {"tracking_number": _("请填写快递单号")})
    case.delivery_method, case.tracking_number, case.delivered_at = method, tracking, timezone.now()
    _move(case, CaseStatus.DELIVERED, actor=actor, step=gettext_noop("送达"), action=TimelineEntry.Action.PASS, opinion=opinion,
          department=wi.department, started_at=wi.created_at)
    emit("case.delivered", {"case_id": case.pk, "number": case.number, "method": method})


def complete_by_system(case_id: int, *, opinion: str) -> Case | None:
    """办结 with result 出证 by the platform once the certificate is issued (the certificate
    service calls it). None when the case no longer waits for completion (done by hand)."""
    with transaction.atomic(), audit.deferred():
        case = Case.objects.select_for_update().filter(pk=case_id).first()
        wi = None if case is None else case.work_items.select_related("department").filter(
            step="complete", status=WorkItem.Status.OPEN).first()
        if case is None or wi is None or case.status != CaseStatus.DECIDED:
            return None
        before = _values(case)
        _complete(None, wi, case, "complete", opinion, {"result_code": ResultCode.CERTIFICATE})
        _finish(wi, None, "complete")
        if case.status in CLOSED_STATUSES:
            case.workflow_state = ""
        case.lock_version += 1
        case.save(update_fields=[*_changed(case, before), "lock_version", "updated_at"])
        if case.parent_id:
            from yiwang.cases.bundles import follow_children

            follow_children(case.parent_id)
    return case


def withdraw(actor, case: Case, reason: str = "") -> Case:
    """The applicant withdraws before the decision (撤回)."""
    from yiwang.cases.applying import check_party

    check_party(actor, case)
    with transaction.atomic(), audit.deferred():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _withdraw_locked(actor, case, reason)
        if case.bundle_id and case.parent_id is None:  # withdrawing a 一件事 withdraws its open children
            for child in Case.objects.select_for_update().filter(parent=case, status__in=WITHDRAWABLE):
                _withdraw_locked(actor, child, reason)
        elif case.parent_id:
            from yiwang.cases.bundles import follow_children

            follow_children(case.parent_id)
    return case


def _withdraw_locked(actor, case: Case, reason: str) -> None:
    _move(case, CaseStatus.WITHDRAWN, actor=actor, step=gettext_noop("撤回"), opinion=reason)
    case.work_items.filter(status=WorkItem.Status.OPEN).update(status=WorkItem.Status.CANCELLED)
    case.workflow_state = ""
    case.save()
    emit("case.withdrawn", {"case_id": case.pk, "number": case.number})
