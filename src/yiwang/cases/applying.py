"""Applying (申报): drafts that save as the applicant types, idempotent creation, submission with
the declaration (承诺), every required material, a 办件编号 and a query password."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import Enterprise, User, VerificationLevel
from yiwang.accounts.policies import enterprises_of
from yiwang.cases import numbering
from yiwang.cases.models import Case, CaseMaterial, Channel, TimelineEntry, WorkItem
from yiwang.cases.status import CaseStatus
from yiwang.catalog import codes as catalog_codes
from yiwang.catalog.models import ServiceItem, VersionStatus
from yiwang.core import audit
from yiwang.core.api import ApiError, Conflict, NotFound
from yiwang.core.clock import today
from yiwang.core.events import emit
from yiwang.org.models import Department


def published_item(item_code: str) -> ServiceItem:
    item = (ServiceItem.objects.select_related("current", "department__region")
            .filter(code=item_code, current__status=VersionStatus.PUBLISHED).first())
    if item is None:
        raise NotFound("unknown_item", _("事项不存在或未发布。"), {"item_code": _("请选择已发布的事项。")})
    return item


def accepting_department(item: ServiceItem) -> Department:
    """受理机构: the 政务服务中心's 综合窗口 (the approval bureau covering the item's region) or the
    department's own window."""
    if item.current.accepted_at == catalog_codes.AcceptedAt.CENTRE:
        county = item.region_id[:6]
        centre = (Department.objects.filter(kind=Department.Kind.APPROVAL_BUREAU, region__code__startswith=county)
                  .order_by("region__code").first())
        if centre is not None:
            return centre
    return item.department


def _is_legal_person_item(item: ServiceItem) -> bool:
    audiences = set(item.current.audiences or [])
    return bool(audiences) and not (audiences & catalog_codes.PERSONAL_AUDIENCES)


def _check_applicant(actor: User, item: ServiceItem, enterprise: Enterprise | None) -> None:
    if actor.level < VerificationLevel.IDENTITY:
        raise ApiError("level_too_low", _("在线办理须先完成实名核验（认证等级 2 级）。"), status=403)
    if enterprise is not None and not enterprises_of(actor).filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("只能以您担任法定代表人或经办人的单位名义申请。"))
    if enterprise is None and _is_legal_person_item(item):
        raise ApiError("enterprise_required", _("该事项须以单位名义申请，请选择单位。"), {"enterprise": _("请选择单位")})


def create_draft(actor: User, item_code: str, form: dict[str, Any] | None = None, *, idempotency_key: str = "",
                 enterprise: Enterprise | None = None) -> tuple[Case, bool]:
    """Start an application. The same idempotency key from the same applicant returns the case
    already made (``created`` False), so a double click or a client retry makes one case."""
    key = (idempotency_key or "").strip()[:100]
    if key:
        existing = Case.objects.filter(applicant=actor, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    item = published_item(item_code)
    _check_applicant(actor, item, enterprise)
    if form is not None and not isinstance(form, dict):
        raise ApiError("validation_error", _("申请表应为 JSON 对象。"), {"form": _("格式不正确")})
    try:
        with transaction.atomic():
            case = Case.objects.create(
                item=item, item_version=item.current, applicant=actor, enterprise=enterprise,
                channel=Channel.ONLINE, department=item.department, accepting_department=accepting_department(item),
                region=item.region, form_data=form or {}, idempotency_key=key,
                workflow_template=item.current.process_template,
            )
            CaseMaterial.objects.bulk_create([
                CaseMaterial(case=case, material_code=m.code, name=m.name, required=m.required)
                for m in item.current.materials.all()
            ])
            audit.record("case.drafted", actor=actor, obj=case, summary=f"开始申请 {item.current.name}")
            emit("case.drafted", {"case_id": case.pk, "item_code": item.code})
    except IntegrityError:  # the same key raced in from a second request
        return Case.objects.get(applicant=actor, idempotency_key=key), False
    return case, True


def _acts_for(actor: User, case: Case) -> bool:
    """The applicant, the proxy agent who applied for them, or the clerk who registered it."""
    return actor.pk in (case.applicant_id, case.proxy_agent_id, case.registered_by_id)


def check_party(actor: User, case: Case) -> None:
    """Outside any transaction, so the denied attempt stays in the audit log."""
    if not _acts_for(actor, case):
        audit.record("case.access_denied", actor=actor, obj=case, summary="试图修改他人的办件")
        raise PermissionDenied(_("只能修改本人的办件。"))


def _own_draft(actor: User, case: Case) -> Case:
    if not _acts_for(actor, case):
        raise PermissionDenied(_("只能修改本人的办件。"))
    if case.status != CaseStatus.DRAFT:
        raise Conflict("not_draft", _("只有草稿可以修改。"))
    return case


def save_form(actor: User, case: Case, form: dict[str, Any]) -> Case:
    """Drafts save as they are typed (no validation yet: that happens at submission)."""
    if not isinstance(form, dict):
        raise ApiError("validation_error", _("申请表应为 JSON 对象。"), {"form": _("格式不正确")})
    check_party(actor, case)
    with transaction.atomic():
        case = _own_draft(actor, Case.objects.select_for_update().get(pk=case.pk))
        case.form_data = form
        case.save(update_fields=["form_data", "updated_at"])
    return case


def submit(actor: User, case: Case, *, declaration: bool) -> Case:
    from yiwang.catalog import formschema

    check_party(actor, case)
    with transaction.atomic():
        case = _own_draft(actor, Case.objects.select_for_update().select_related("item_version").get(pk=case.pk))
        fields = {f"form.{k}": v for k, v in formschema.validate(case.item_version.form_schema or {}, case.form_data).items()}
        missing = [m.material_code for m in case.materials.all()
                   if m.required and m.status == CaseMaterial.Status.MISSING]
        for code in missing:
            fields[f"materials.{code}"] = _("请上传该材料，或选择容缺后补（仅限可容缺的材料）。")
        if declaration is not True:
            fields["declaration"] = _("请阅读并勾选申请人承诺。")
        if fields:
            raise ApiError("incomplete_application", _("申请还不完整，请补充标注的内容后再提交。"), fields)
        now = timezone.now()
        case.number = numbering.next_number(case.region_id, today())
        case.query_password = numbering.new_query_password()
        case.status, case.submitted_at, case.declaration_at = CaseStatus.SUBMITTED, now, now
        case.save(update_fields=["number", "query_password", "status", "submitted_at", "declaration_at", "updated_at"])
        TimelineEntry.objects.create(case=case, step=_("申报"), action=TimelineEntry.Action.PASS, actor=actor,
                                     actor_label=actor.name or actor.username, status_from=CaseStatus.DRAFT,
                                     status_to=CaseStatus.SUBMITTED, started_at=case.created_at, ended_at=now)
        WorkItem.objects.create(case=case, step="accept", step_label=_("受理"), role="window_clerk",
                                department=case.accepting_department)
        audit.record("case.submitted", actor=actor, obj=case, summary=f"申报 {case.number}")
        emit("case.submitted", {"case_id": case.pk, "number": case.number, "item_code": case.item.code})
        emit("workitem.created", {"case_id": case.pk, "step": "accept"})
    return case


def attach_material(actor: User, case: Case, material_code: str, file) -> CaseMaterial:
    """One upload slot per material: checked by content (core.uploads), stored outside the web
    root. A rejected file changes nothing: the draft and its other materials stay as they were."""
    from yiwang.core.uploads import UploadRejected, check_upload, store

    check_party(actor, case)
    material = case.materials.filter(material_code=material_code).first()
    if material is None:
        raise NotFound("unknown_material", _("该事项没有这项材料。"), {"material_code": material_code})
    try:
        info = check_upload(file)
    except UploadRejected as exc:
        raise ApiError(f"upload_{exc.code}", exc.message, {"file": exc.message}) from exc
    with transaction.atomic():
        case = _own_draft_or_correction(actor, Case.objects.select_for_update().get(pk=case.pk))
        name = store(file, info, subdir=f"cases/{case.pk}")
        material = CaseMaterial.objects.select_for_update().get(pk=material.pk)
        material.file.name = name
        material.status, material.content_kind, material.size, material.sha256 = (
            CaseMaterial.Status.UPLOADED, info.kind, info.size, info.sha256)
        material.original_name = (getattr(file, "name", "") or "")[:200]
        material.uploaded_at = timezone.now()
        material.save()
        audit.record("case.material_uploaded", actor=actor, obj=case, summary=f"上传材料 {material.name}",
                     data={"material": material_code, "sha256": info.sha256, "size": info.size})
    return material


def defer_material(actor: User, case: Case, material_code: str) -> CaseMaterial:
    """容缺后补: only for materials the item marks as deferrable; the due date is set at acceptance."""
    check_party(actor, case)
    with transaction.atomic():
        case = _own_draft_or_correction(actor, Case.objects.select_for_update().get(pk=case.pk))
        material = case.materials.filter(material_code=material_code).first()
        spec = case.item_version.materials.filter(code=material_code).first()
        if material is None or spec is None:
            raise NotFound("unknown_material", _("该事项没有这项材料。"), {"material_code": material_code})
        if spec.necessity != catalog_codes.Necessity.DEFERRABLE:
            raise ApiError("not_deferrable", _("该材料不能容缺后补。"), {"material_code": _("须在申报时提交")})
        material.status = CaseMaterial.Status.DEFERRED
        material.save(update_fields=["status"])
    return material


def _own_draft_or_correction(actor: User, case: Case) -> Case:
    if case.status not in (CaseStatus.DRAFT, CaseStatus.CORRECTION_REQUESTED):
        raise Conflict("not_editable", _("只有草稿或补正中的办件可以上传材料。"))
    return case
