"""数据纠错: an applicant (about their own data) or a consumer department (about data it read)
says a shared value is wrong; the provider's data steward corrects it or explains, within a
deadline in working days. A correction of a platform-hosted record is written in the same
transaction as the resolution, so the record and the objection never disagree.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import VerificationLevel
from yiwang.accounts.policies import departments_scope, holds
from yiwang.accounts.roles import Role
from yiwang.core import audit, workdays
from yiwang.core.api import ApiError, Conflict, NotFound
from yiwang.core.crypto import blind_index, blind_index_candidates
from yiwang.core.events import emit
from yiwang.core.masking import mask_id_number
from yiwang.core.text import lookup_code, strip_control
from yiwang.sharing import imports
from yiwang.sharing.models import (
    OBJECTION_TRANSITIONS,
    AccessRecord,
    HostedRecord,
    Objection,
    ObjectionStatus,
    Resource,
)
from yiwang.sharing.queries import subject_ids_of

OUTCOMES = (ObjectionStatus.CORRECTED, ObjectionStatus.EXPLAINED)
MAX_VALUE = 500


def working_days() -> int:
    return int(getattr(settings, "YIWANG_SHARING_OBJECTION_WORKING_DAYS", 5))


def _resource(resource: Resource | str) -> Resource:
    if isinstance(resource, Resource):
        return resource
    code = lookup_code(resource)
    found = Resource.objects.select_related("provider").filter(code=code).first() if code else None
    if found is None:
        raise NotFound("not_found", _("共享资源不存在。"))
    return found


def _department_read_it(department, resource: Resource, subject: str, item: str) -> bool:
    """A department objects to a value it was served: a successful read of this subject's item."""
    reads = AccessRecord.objects.filter(consumer=department, resource=resource, result=AccessRecord.Result.OK,
                                        subject_index__in=blind_index_candidates("subject", subject))
    return any(item in (r or []) for r in reads.order_by("-seq").values_list("items", flat=True)[:500])


def _authorise(actor, resource: Resource, subject: str, item: str, department) -> None:
    if department is None:
        if getattr(actor, "level", 0) < VerificationLevel.IDENTITY:
            raise PermissionDenied(_("提出数据纠错须先完成实名核验。"))
        if subject not in {str(s).strip().upper() for s in subject_ids_of(actor)}:
            raise PermissionDenied(_("只能对本人（或本人担任法定代表人的企业）的数据提出纠错。"))
        return
    if not departments_scope(actor).filter(pk=department.pk).exists():
        raise PermissionDenied(_("只有本部门工作人员可以以部门名义提出纠错。"))
    if not _department_read_it(department, resource, subject, item):
        raise PermissionDenied(_("只能对本部门通过数据共享读取过的数据项提出纠错。"))


def _current_value(resource: Resource, subject: str, item: str) -> tuple[HostedRecord | None, str]:
    if resource.backing != Resource.Backing.HOSTED:
        return None, ""
    row = HostedRecord.objects.filter(resource=resource,
                                      subject_index__in=blind_index_candidates("subject", subject)).first()
    if row is None:
        return None, ""
    value = json.loads(row.data).get(item)
    return row, "" if value is None else str(value)


def raise_objection(actor, resource: Resource | str, subject: str, item: str, *, reason: str,
                    proposed_value: str = "", case_number: str = "", department=None) -> Objection:
    """Flag ``item`` of ``subject``'s data in ``resource`` as wrong. ``department`` set: a consumer
    department's staff objects for the department; unset: the person objects to their own data."""
    resource = _resource(resource)
    subject = strip_control(subject).upper()
    item, reason = strip_control(item), strip_control(reason)
    proposed_value, case_number = strip_control(proposed_value), strip_control(case_number)
    errors: dict[str, str] = {}
    if not resource.active:
        errors["resource"] = _("该共享资源已停用。")
    if not subject:
        errors["subject"] = _("请指明数据主体。")
    if item not in resource.item_names():
        errors["item"] = _("资源没有该数据项。")
    if not reason:
        errors["reason"] = _("请说明哪里有误。")
    elif len(reason) > 500:
        errors["reason"] = _("不能超过 500 个字符。")
    if len(proposed_value) > MAX_VALUE:
        errors["proposed_value"] = _("不能超过 %(n)s 个字符。") % {"n": MAX_VALUE}
    if len(case_number) > 50:
        errors["case_number"] = _("不能超过 50 个字符。")
    if errors:
        raise ApiError("validation_error", _("请检查填写的内容。"), errors)
    _authorise(actor, resource, subject, item, department)
    row, current = _current_value(resource, subject, item)
    if resource.backing == Resource.Backing.HOSTED and row is None:
        raise ApiError("validation_error", _("提供部门没有该主体的记录。"), {"subject": _("没有记录")})
    with transaction.atomic():
        duplicate = Objection.objects.filter(
            resource=resource, item=item, status=ObjectionStatus.OPEN, raised_by=actor, raised_for=department,
            subject_index__in=blind_index_candidates("subject", subject))
        if duplicate.exists():
            raise Conflict("objection_open", _("您对该数据项已有待处理的纠错。"))
        objection = Objection.objects.create(
            resource=resource, subject=subject, item=item, current_value=current, proposed_value=proposed_value,
            reason=reason, case_number=case_number, raised_by=actor, raised_for=department,
            due_by=workdays.add_working_days(timezone.localdate(), working_days()))
        who = department.name if department else _("申请人本人")
        audit.record("sharing.objection_raised", actor=actor, obj=objection,
                     summary=f"{who} 对 {resource.name}（{mask_id_number(subject)}）的 {item} 提出纠错",
                     data={"resource": resource.code, "item": item, "raised_for": department.code if department else None})
        emit("sharing.objection_raised", {
            "objection_id": objection.pk, "resource": resource.code, "provider": resource.provider.code,
            "item": item, "raised_for": department.code if department else None, "due_by": objection.due_by})
    return objection


def _typed(resource: Resource, item: str, value: str) -> Any:
    """The corrected value in the item's declared type, by the import's own converters: a
    correction stores exactly what an import of the same text would (no "nan", "1e999", "1_000"
    or "20240101" that the import refuses)."""
    kind = next((str(i.get("type") or "string") for i in resource.items or [] if i.get("name") == item), "string")
    try:
        return imports.convert(kind, value)
    except ValueError as exc:
        raise ApiError("validation_error", _("更正后的值与数据项类型不符。"), {"value": str(exc)}) from exc


def _digest(value: Any) -> str:
    """Keyed hash (the blind-index HMAC) of a stored value's JSON form: the audit log shows that and
    how a value changed, and a value at hand can be checked against it, without holding the
    personal data — keyed, because a plain hash of a gender or a date is reversed by trying them."""
    return blind_index("objection-value", json.dumps(value, ensure_ascii=False, sort_keys=True))


def resolve(actor, objection: Objection, *, outcome: str, note: str, value: str | None = None) -> Objection:
    """The provider's steward answers: ``corrected`` (a hosted record takes ``value``, by default
    the proposed value) or ``explained`` (the data stands; ``note`` says why)."""
    if not holds(actor, Role.DATA_STEWARD, objection.resource.provider):
        raise PermissionDenied(_("只有提供部门的数据管理员可以处理数据纠错。"))
    note = strip_control(note)
    errors: dict[str, str] = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = _("处理结果应为 corrected（已更正）或 explained（已说明）。")
    if not note:
        errors["note"] = _("请填写处理说明。")
    elif len(note) > 500:
        errors["note"] = _("不能超过 500 个字符。")
    if errors:
        raise ApiError("validation_error", _("请检查填写的内容。"), errors)
    with transaction.atomic():
        # The lock an import takes (``imports._import``), first: a batch that read this record
        # before the correction would otherwise write its stale copy over it. Then the objection
        # row alone (``of``: the provider's department row need not be locked).
        list(Resource.objects.select_for_update().filter(pk=objection.resource_id).values_list("pk", flat=True))
        objection = (Objection.objects.select_for_update(of=("self",)).select_related("resource__provider")
                     .get(pk=objection.pk))
        if outcome not in OBJECTION_TRANSITIONS[ObjectionStatus(objection.status)]:
            raise Conflict("invalid_transition", _("该纠错已处理，不能再次处理。"))
        resource, change = objection.resource, None
        if outcome == ObjectionStatus.CORRECTED and resource.backing == Resource.Backing.HOSTED:
            change = _correct_record(objection, strip_control(objection.proposed_value if value is None else value))
        objection.status, objection.resolution = outcome, note
        objection.resolved_by, objection.resolved_at = actor, timezone.now()
        objection.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
        audit.record("sharing.objection_resolved", actor=actor, obj=objection,
                     summary=f"数据纠错{objection.get_status_display()}：{resource.name} {objection.item}",
                     data={"outcome": outcome, "item": objection.item, "record_updated": change is not None,
                           **(change or {})})
        emit("sharing.objection_resolved", {
            "objection_id": objection.pk, "resource": resource.code, "item": objection.item, "outcome": outcome,
            "raised_by": objection.raised_by_id, "raised_for": objection.raised_for.code if objection.raised_for else None})
    return objection


def _correct_record(objection: Objection, value: str) -> dict[str, str]:
    """Write the corrected value into the hosted record (the caller holds the resource's lock);
    returns the SHA-256 of the value before and after, for the audit record."""
    if not value:
        raise ApiError("validation_error", _("请填写更正后的值。"), {"value": _("此项为必填项。")})
    if len(value) > MAX_VALUE:
        raise ApiError("validation_error", _("请检查填写的内容。"), {"value": _("内容过长。")})
    typed = _typed(objection.resource, objection.item, value)
    row = (HostedRecord.objects.select_for_update()
           .filter(resource=objection.resource,
                   subject_index__in=blind_index_candidates("subject", objection.subject)).first())
    if row is None:
        raise Conflict("record_missing", _("提供部门已没有该主体的记录，请以“已说明”处理。"))
    data = json.loads(row.data)
    before = data.get(objection.item)
    data[objection.item] = typed
    row.data = json.dumps(data, ensure_ascii=False)
    row.save(update_fields=["data", "updated_at"])
    return {"value_before_hmac": _digest(before), "value_after_hmac": _digest(typed)}
