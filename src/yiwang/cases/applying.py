"""Applying (申报): drafts that save as the applicant types, idempotent creation, submission with
the declaration (承诺), every required material, a 办件编号 and a query password."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yiwang.accounts.models import Enterprise, ProxyAuthorization, User, VerificationLevel
from yiwang.accounts.policies import enterprises_of
from yiwang.cases import numbering, sources
from yiwang.cases.models import Case, CaseMaterial, Channel, DeliveryMethod, TimelineEntry, WorkItem
from yiwang.cases.policies import can_register_walk_in
from yiwang.cases.status import CaseStatus
from yiwang.catalog import codes as catalog_codes
from yiwang.catalog.models import ServiceItem, VersionStatus
from yiwang.core import audit
from yiwang.core.api import ApiError, Conflict, NotFound
from yiwang.core.clock import today
from yiwang.core.crypto import blind_index_candidates
from yiwang.core.events import emit
from yiwang.org.models import Department

log = logging.getLogger("yiwang.cases.applying")


def published_item(item_code: str) -> ServiceItem:
    item = (ServiceItem.objects.select_related("current", "department__region")
            .filter(code=item_code, current__status=VersionStatus.PUBLISHED).first())
    if item is None:
        raise NotFound("unknown_item", _("事项不存在或未发布。"), {"item_code": _("请选择已发布的事项。")})
    return item


def accepting_department(item: ServiceItem, centres: dict[str, Department | None] | None = None) -> Department:
    """受理机构: the 政务服务中心's 综合窗口 (the approval bureau covering the item's region) or the
    department's own window. ``centres`` memoises the centre per county when many items are asked."""
    if item.current.accepted_at == catalog_codes.AcceptedAt.CENTRE:
        county = item.region_id[:6]
        if centres is None or county not in centres:
            centre = (Department.objects.filter(kind=Department.Kind.APPROVAL_BUREAU, region__code__startswith=county)
                      .order_by("region__code").first())
            if centres is None:
                return centre or item.department
            centres[county] = centre
        if centres[county] is not None:
            return centres[county]
    return item.department


def is_legal_person_item(item: ServiceItem) -> bool:
    audiences = set(item.current.audiences or [])
    return bool(audiences) and not (audiences & catalog_codes.PERSONAL_AUDIENCES)


def check_applicant(actor: User, item: ServiceItem, enterprise: Enterprise | None) -> None:
    if actor.level < VerificationLevel.IDENTITY:
        raise ApiError("level_too_low", _("在线办理须先完成实名核验（认证等级 2 级）。"), status=403)
    if enterprise is not None and not enterprises_of(actor).filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("只能以您担任法定代表人或经办人的单位名义申请。"))
    if enterprise is None and is_legal_person_item(item):
        raise ApiError("enterprise_required", _("该事项须以单位名义申请，请选择单位。"), {"enterprise": _("请选择单位")})


def form_of(case: Case) -> tuple[dict, dict]:
    """The (schema, UI hints) the case's form is filled against: the item's published form, or
    for a 一件事 parent the merged form of its items."""
    if case.bundle_id and case.parent_id is None:
        from yiwang.cases.bundles import merged_form

        schema, ui, _owners = merged_form(case.bundle)
        return schema, ui
    return case.item_version.form_schema or {}, case.item_version.form_ui or {}


def _answer_from_sources(case: Case, actor: User) -> None:
    """A new draft's form: fields that declare a source (数据共享) are read and kept at the value
    read (``case.field_sources`` records where each came from, or why it must be typed); the
    other empty fields are suggested from the applicant's profile. Runs before the draft's
    transaction: a department system may take seconds to answer, and no lock may wait on it."""
    from yiwang.catalog import formschema

    schema, ui = form_of(case)
    specs = formschema.fields(schema, ui)
    read_at = timezone.now().isoformat()
    case.field_sources = {name: f.as_json(read_at)
                          for name, f in sources.sourced_fields(case, specs, user=actor).items()}
    form = sources.pin_sourced(case.field_sources, case.form_data)
    case.form_data = sources.prefill(case.applicant, case.enterprise, specs, form)


def _found_materials(case: Case, specs, actor: User) -> dict[str, tuple[str, Any]]:
    """Which materials a registered source (证照库, 数据共享) satisfies at once, by code; looked up
    before the draft's transaction for the same reason as the form's sources."""
    found = {}
    for m in specs:
        hit = sources.find_material(case.applicant, case.enterprise, m, case=case, user=actor)
        if hit is not None:
            found[m.code] = hit
    return found


def _materials_of(case: Case, specs, found: dict[str, tuple[str, Any]]) -> None:
    """One slot per material; those a source satisfied are ``auto`` and their use is recorded."""
    rows, used = [], []
    for m in specs:
        row = CaseMaterial(case=case, material_code=m.code, name=m.name, required=must_supply(m))
        hit = found.get(m.code)
        if hit is not None:
            row.status, row.source, row.reference = CaseMaterial.Status.AUTO, hit[0], hit[1].reference[:200]
            used.append((hit[0], m, hit[1]))
        rows.append(row)
    CaseMaterial.objects.bulk_create(rows)
    if used:
        sources.record_uses(case, used)


def refresh_after_submission(actor: User, case: Case) -> None:
    """After the submission has committed: read the sourced fields again, now that the case has
    its number, so the record of each read names the case — and for a 一件事, once per child, in
    the name of the child's own department. What the source says now is kept; a source that
    cannot answer leaves the submitted value, marked as the applicant's. Outside the submission's
    transaction on purpose: the county's number counter stays locked until it commits. Never
    raises: the submission stands whatever the sources do."""
    from yiwang.catalog import formschema

    targets = [case]
    if case.bundle_id and case.parent_id is None:
        targets = list(case.children.select_related("item_version", "department", "applicant", "enterprise"))
    for target in targets:
        try:
            if target.field_sources:
                schema, ui = form_of(target)
                specs = [s for s in formschema.fields(schema, ui) if s.name in target.field_sources]
                read_at = timezone.now().isoformat()
                answers = sources.sourced_fields(target, specs, user=actor)
                _keep_fresh(actor, target, answers, read_at, inherited=target.parent_id is not None)
            sources.confirm_submitted(target, user=actor)
        except Exception:  # a source's trouble must not undo or fail a submission
            log.exception("办件 %s 提交后复核数据来源失败", target.pk)


def _keep_fresh(actor: User, case: Case, answers, read_at: str, *, inherited: bool) -> None:
    """Write what the sources said now into the case, on the locked row as it is now (only the
    sourced keys; anything else written meanwhile stays), while it is still as submitted."""
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).only("id", "status", "form_data", "field_sources") \
            .get(pk=case.pk)
        if locked.status != CaseStatus.SUBMITTED:
            return  # already being handled: the clerk works with what was submitted
        entries, form = dict(locked.field_sources or {}), dict(locked.form_data or {})
        before = dict(form)
        for name, answer in answers.items():
            if answer.ok:
                entries[name], form[name] = answer.as_json(read_at), answer.value
            elif inherited:  # the child's department could not read it: keep what was submitted, say so
                entries[name] = {**answer.as_json(read_at), "note": _(
                    "本部门未能从数据共享读取（%(note)s），该值为申请人在一件事申请中提交的数据。") % {"note": answer.note}}
        changed = sorted(k for k in answers if form.get(k) != before.get(k))
        Case.objects.filter(pk=case.pk).update(field_sources=entries, form_data=form)
        if changed:  # the source's value moved between the draft and the submission
            audit.record("case.sourced_updated", actor=actor, obj=locked,
                         summary=f"提交后按数据来源更新：{'、'.join(changed)}", data={"fields": changed})
    case.field_sources, case.form_data = entries, form


def must_supply(spec) -> bool:
    """Required and deferrable (容缺) materials must be uploaded or, if deferrable, deferred."""
    return spec.necessity in (catalog_codes.Necessity.REQUIRED, catalog_codes.Necessity.DEFERRABLE)


def valid_authorization(agent: User, principal: User, item_code: str) -> ProxyAuthorization:
    """The proxy agent's valid 代办授权 from ``principal`` covering the item, or PermissionDenied."""
    auth = next((a for a in ProxyAuthorization.objects.filter(agent=agent, grantor=principal, revoked_at__isnull=True)
                 if a.is_valid_on(today()) and a.covers(item_code)), None)
    if auth is None:
        audit.record("case.proxy_denied", actor=agent, obj=principal, summary=f"无有效代办授权：{item_code}")
        raise PermissionDenied(_("您没有该申请人对此事项的有效代办授权。"))
    return auth


def create_draft(actor: User, item_code: str, form: dict[str, Any] | None = None, *, idempotency_key: str = "",
                 enterprise: Enterprise | None = None, on_behalf_of: User | None = None) -> tuple[Case, bool]:
    """Start an application. The same idempotency key from the same applicant returns the case
    already made (``created`` False), so a double click or a client retry makes one case.

    ``on_behalf_of``: 帮办代办 — the actor is a proxy agent applying for that citizen under a valid
    authorisation; the case records both and shows in the citizen's own list."""
    applicant = on_behalf_of or actor
    key = (idempotency_key or "").strip()[:100]
    if key:
        existing = Case.objects.filter(applicant=applicant, idempotency_key=key).first()
        if existing is not None and _acts_for(actor, existing):
            return existing, False
    item = published_item(item_code)
    authorization = None
    if on_behalf_of is not None and on_behalf_of.pk != actor.pk:
        authorization = valid_authorization(actor, on_behalf_of, item.code)
        if actor.level < VerificationLevel.IDENTITY:
            raise ApiError("level_too_low", _("代办人须先完成实名核验（认证等级 2 级）。"), status=403)
        check_applicant(applicant, item, enterprise)
    else:
        check_applicant(actor, item, enterprise)
    if not catalog_codes.is_online_capable(item.current.online_depth):
        raise ApiError("not_online", _("本事项暂不支持网上申请，请到办理地点的窗口办理。"), status=409)
    return new_case(actor, item, form, key=key, enterprise=enterprise, applicant=applicant,
                     channel=Channel.PROXY if authorization else Channel.ONLINE,
                     proxy_agent=actor if authorization else None, proxy_authorization=authorization)


def new_case(actor: User, item: ServiceItem, form, *, key: str, applicant: User, channel: str,
             enterprise: Enterprise | None = None, materials=None, **extra) -> tuple[Case, bool]:
    """The draft row with its material slots (the item's, or a 一件事's merged list). Sources are
    asked first, outside the transaction (see :func:`_answer_from_sources`)."""
    if form is not None and not isinstance(form, dict):
        raise ApiError("validation_error", _("申请表应为 JSON 对象。"), {"form": _("格式不正确")})
    department = extra.pop("department", None) or item.department
    case = Case(item=item, item_version=item.current, applicant=applicant, enterprise=enterprise,
                channel=channel, department=department, accepting_department=accepting_department(item),
                region=item.region, form_data=form or {}, idempotency_key=key,
                workflow_template=item.current.process_template, **extra)
    specs = list(item.current.materials.all() if materials is None else materials)
    _answer_from_sources(case, actor)
    found = _found_materials(case, specs, actor)
    try:
        with transaction.atomic():
            case.save(force_insert=True)
            _materials_of(case, specs, found)
            summary = f"开始申请 {item.current.name}"
            if channel == Channel.PROXY:
                summary += f"（代办人 {actor.name or actor.username} 代 {applicant.name} 申请）"
            audit.record("case.drafted", actor=actor, obj=case, summary=summary,
                         data={"channel": channel, "applicant_id": applicant.pk})
            emit("case.drafted", {"case_id": case.pk, "item_code": item.code, "channel": channel})
    except IntegrityError:  # the same key raced in from a second request
        return Case.objects.get(applicant=applicant, idempotency_key=key), False
    return case, True


def register_walk_in(clerk: User, item_code: str, *, name: str, id_number: str, phone: str = "",
                     form: dict[str, Any] | None = None, enterprise: Enterprise | None = None,
                     idempotency_key: str = "") -> tuple[Case, bool]:
    """窗口收件/代录: a window clerk registers the case of a person identified at the counter (ID card
    checked in person). The person's record is found by ID number, or made for them (no password:
    they may claim it later by registering). The clerk then scans the paper materials
    (attach_material) and submits with the signed paper declaration."""
    from yiwang.catalog.formschema import check_phone
    from yiwang.core import identifiers

    item = published_item(item_code)
    accepting = accepting_department(item)
    if not can_register_walk_in(clerk, accepting):
        audit.record("case.walk_in_denied", actor=clerk, obj=item, summary="非受理窗口人员试图窗口收件")
        raise PermissionDenied(_("只有该事项受理窗口的工作人员可以窗口收件。"))
    name, id_number, phone = (name or "").strip()[:60], (id_number or "").strip().upper(), (phone or "").strip()
    fields = {}
    if not name:
        fields["name"] = _("请填写申请人姓名。")
    if not identifiers.is_valid_id_number(id_number):
        fields["id_number"] = _("身份证号码不正确（请核对校验位）。")
    if phone:
        try:
            check_phone(phone)
        except ValueError as exc:
            fields["phone"] = str(exc)
    if fields:
        raise ApiError("validation_error", _("请核对申请人身份信息。"), fields)
    key = (idempotency_key or "").strip()[:100]
    with transaction.atomic():
        person = User.objects.filter(id_number_index__in=blind_index_candidates("id_number", id_number)).first()
        if person is None:
            if phone and User.objects.filter(phone_index__in=blind_index_candidates("phone", phone)).exists():
                raise ApiError("validation_error", _("该手机号已由其他账户使用，请核对或留空。"),
                               {"phone": _("手机号已被占用")})
            person = User(username=f"walkin-{uuid.uuid4().hex[:12]}", name=name, id_number=id_number, phone=phone,
                          level=VerificationLevel.IDENTITY)
            person.set_unusable_password()
            person.save()
            audit.record("accounts.walk_in_person", actor=clerk, obj=person, summary="窗口核验身份后登记申请人")
        elif person.name != name:
            raise ApiError("validation_error", _("姓名与该身份证号码登记的姓名不一致，请核对证件。"),
                           {"name": _("姓名与身份证号码不一致")})
        if key:
            existing = Case.objects.filter(applicant=person, idempotency_key=key, registered_by=clerk).first()
            if existing is not None:
                return existing, False
    if enterprise is None and is_legal_person_item(item):
        raise ApiError("enterprise_required", _("该事项须以单位名义申请，请选择单位。"), {"enterprise": _("请选择单位")})
    return new_case(clerk, item, form, key=key, enterprise=enterprise, applicant=person, channel=Channel.WINDOW,
                     registered_by=clerk)


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
    """Drafts save as they are typed (no validation yet: that happens at submission); during 补正
    the applicant may correct answers too (validated again when the correction is submitted)."""
    if not isinstance(form, dict):
        raise ApiError("validation_error", _("申请表应为 JSON 对象。"), {"form": _("格式不正确")})
    check_party(actor, case)
    with transaction.atomic():
        case = _own_draft_or_correction(actor, Case.objects.select_for_update().get(pk=case.pk))
        case.form_data = sources.pin_sourced(case.field_sources, form)
        case.save(update_fields=["form_data", "updated_at"])
    return case


# Big columns of the item version that submitting never reads.
SUBMIT_DEFERRED = ("item_version__faq", "item_version__process_steps",
                   "item_version__legal_basis", "item_version__conditions", "item_version__summary")


class _NotParty(Exception):
    """The locked case is not the actor's to submit: refused (and audited) after the rollback."""

    def __init__(self, case: Case) -> None:
        self.case = case


def submit(actor: User, case: Case | int, *, declaration: bool) -> Case:
    """Validate everything at once (form, every required material, the declaration) and give the
    case its 办件编号 and query password. A 一件事 parent also opens one child case per item.
    ``case`` may be its id: who may submit is then checked on the locked row, and a denied
    attempt is audited once the transaction is rolled back."""
    from yiwang.catalog import formschema

    if isinstance(case, Case):
        check_party(actor, case)
    pk = case.pk if isinstance(case, Case) else case
    # Materials fetched from a source (证照库) are re-checked first, in their own transaction: one
    # revoked while the draft waited is "to be uploaded" again even if the submission fails.
    sources.recheck(Case(pk=pk), actor=actor)
    try:
        with transaction.atomic(), audit.deferred():
            # lock the case row only (of=self): the item's rows are shared by every case of the item
            try:
                locked = (Case.objects.select_for_update(of=("self",)).select_related("item", "item_version")
                          .defer(*SUBMIT_DEFERRED).get(pk=pk))
            except Case.DoesNotExist:
                raise NotFound("unknown_case", _("办件不存在。")) from None
            if not _acts_for(actor, locked):
                raise _NotParty(locked)
            case = _own_draft(actor, locked)
            schema, _ui = form_of(case)
            fields = {f"form.{k}": v for k, v in formschema.validate(schema, case.form_data).items()}
            missing = case.materials.filter(required=True, status=CaseMaterial.Status.MISSING).values_list(
                "material_code", flat=True)
            for code in missing:
                fields[f"materials.{code}"] = _("请上传该材料，或选择容缺后补（仅限可容缺的材料）。")
            if declaration is not True:
                fields["declaration"] = _("请阅读并勾选申请人承诺。")
            if fields:
                raise ApiError("incomplete_application", _("申请还不完整，请补充标注的内容后再提交。"), fields)
            enter_submitted(actor, case, query_password=numbering.new_query_password())
            if case.bundle_id and case.parent_id is None:
                from yiwang.cases.bundles import open_children

                open_children(actor, case)
    except _NotParty as denied:
        check_party(actor, denied.case)  # audits the attempt and refuses
        raise
    refresh_after_submission(actor, case)
    return case


def enter_submitted(actor: User, case: Case, *, query_password: str) -> None:
    """draft → submitted: number, query password, timeline, the window's 受理 task (none for a
    一件事 parent: its children are accepted one by one). The number is taken after the rows that
    do not need it: its counter row stays locked until the commit and every submission of the
    county queues on it."""
    now = timezone.now()
    chosen = case.form_data.get("delivery_method") if isinstance(case.form_data, dict) else None
    if chosen in DeliveryMethod.values:  # the form's 结果领取方式, if the item asks for it
        case.delivery_method = chosen
    TimelineEntry.objects.create(case=case, step=gettext_noop("申报"), action=TimelineEntry.Action.PASS, actor=actor,
                                 actor_label=actor.name or actor.username, status_from=CaseStatus.DRAFT,
                                 status_to=CaseStatus.SUBMITTED, started_at=case.created_at, ended_at=now)
    is_parent = bool(case.bundle_id and case.parent_id is None)
    if not is_parent:
        WorkItem.objects.create(case=case, step="accept", step_label=gettext_noop("受理"), role="window_clerk",
                                department_id=case.accepting_department_id)
    case.number = numbering.next_number(case.region_id, today())
    case.query_password = query_password
    case.status, case.submitted_at, case.declaration_at = CaseStatus.SUBMITTED, now, now
    case.save(update_fields=["number", "query_password", "status", "submitted_at", "declaration_at",
                             "delivery_method", "updated_at"])
    audit.record("case.submitted", actor=actor, obj=case, summary=f"申报 {case.number}")
    emit("case.submitted", {"case_id": case.pk, "number": case.number, "item_code": case.item.code,
                            "channel": case.channel, "parent_id": case.parent_id})
    if not is_parent:
        emit("workitem.created", {"case_id": case.pk, "step": "accept"})


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
        raise Conflict("not_editable", _("只有草稿或补正中的办件可以修改。"))
    return case
