"""Cases API (DESIGN §3 conventions): apply, upload, submit, withdraw, read; worklist and act;
anonymous progress query."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from yiwang.accounts.apiauth import api_auth
from yiwang.accounts.models import Enterprise, User
from yiwang.cases import applying, bundles, handling, policies, progress, queries
from yiwang.cases.models import Case, WorkItem
from yiwang.core import audit, workdays
from yiwang.core.api import ApiError, paginate

router = Router(tags=["cases"])


class CaseIn(Schema):
    item_code: str = ""
    bundle_code: str = ""
    form: dict[str, Any] = {}
    idempotency_key: str = ""
    enterprise_id: int | None = None
    on_behalf_of: int | None = None  # 帮办代办: the principal's user id (a valid authorisation is needed)


class WalkInIn(Schema):
    item_code: str = ""
    name: str = ""
    id_number: str = ""
    phone: str = ""
    form: dict[str, Any] = {}
    idempotency_key: str = ""
    enterprise_id: int | None = None


class ResendIn(Schema):
    number: str = ""


class FormIn(Schema):
    form: dict[str, Any] = {}


class SubmitIn(Schema):
    declaration: bool = False


class ActIn(Schema):
    action: str = ""
    opinion: str = ""
    reason: str = ""
    legal_basis: str = ""
    missing: list[str] = []
    result_code: str = ""
    method: str = ""
    tracking_number: str = ""
    kind: str = ""
    result: str = ""
    working_days: int | None = None


class ProgressIn(Schema):
    number: str = ""
    password: str = ""


def _case_for(request, case_id: int, *, party_only: bool = False) -> Case:
    case = get_object_or_404(Case.objects.select_related("item", "item_version", "department",
                                                        "accepting_department"), pk=case_id)
    allowed = policies.is_party(request.auth, case) if party_only else policies.can_view(request.auth, case)
    if not allowed:
        audit.record("case.access_denied", actor=request.auth, obj=case, summary="无权访问办件")
        raise PermissionDenied(_("无权访问该办件。"))
    return case


@router.post("/cases", auth=api_auth, response={200: dict, 201: dict}, summary="开始申请（草稿，可幂等）")
def create_case(request, data: CaseIn):
    enterprise = get_object_or_404(Enterprise, pk=data.enterprise_id) if data.enterprise_id else None
    if data.bundle_code:
        case, created = bundles.create_bundle_draft(request.auth, data.bundle_code, data.form,
                                                    idempotency_key=data.idempotency_key, enterprise=enterprise)
    else:
        principal = get_object_or_404(User, pk=data.on_behalf_of) if data.on_behalf_of else None
        case, created = applying.create_draft(request.auth, data.item_code, data.form,
                                              idempotency_key=data.idempotency_key, enterprise=enterprise,
                                              on_behalf_of=principal)
    return Status(201 if created else 200, queries.case_detail(case))


@router.post("/cases/walk-in", auth=api_auth, response={200: dict, 201: dict},
             summary="窗口收件：为现场核验身份的申请人登记办件")
def walk_in(request, data: WalkInIn):
    enterprise = get_object_or_404(Enterprise, pk=data.enterprise_id) if data.enterprise_id else None
    case, created = applying.register_walk_in(request.auth, data.item_code, name=data.name,
                                              id_number=data.id_number, phone=data.phone, form=data.form,
                                              enterprise=enterprise, idempotency_key=data.idempotency_key)
    return Status(201 if created else 200, queries.case_detail(case))


@router.get("/proxy/principals", auth=api_auth, summary="代办人：可代为申请的委托人")
def proxy_principals(request):
    return {"items": queries.proxy_principals(request.auth)}


@router.get("/cases", auth=api_auth, summary="我的办件")
def my_cases(request, page: int = 1, page_size: int = 20):
    qs = policies.cases_for_applicant(request.auth).select_related("item", "item_version").order_by("-created_at")
    with workdays.shared_session():
        return paginate(qs, page, page_size, queries.case_summary)


@router.get("/cases/{case_id}", auth=api_auth, summary="办件详情")
def case_detail(request, case_id: int):
    return queries.case_detail(_case_for(request, case_id))


@router.put("/cases/{case_id}/form", auth=api_auth, summary="保存申请表（草稿自动保存）")
def save_form(request, case_id: int, data: FormIn):
    case = applying.save_form(request.auth, _case_for(request, case_id, party_only=True), data.form)
    return queries.case_detail(case)


@router.post("/cases/{case_id}/materials/{material_code}", auth=api_auth, summary="上传材料（字段 file）")
def upload_material(request, case_id: int, material_code: str, file: File[UploadedFile]):
    case = _case_for(request, case_id, party_only=True)
    m = applying.attach_material(request.auth, case, material_code, file)
    return {"code": m.material_code, "status": m.status, "size": m.size, "kind": m.content_kind}


@router.post("/cases/{case_id}/submit", auth=api_auth, summary="提交申请（须勾选承诺）")
def submit_case(request, case_id: int, data: SubmitIn):
    case = applying.submit(request.auth, case_id, declaration=data.declaration)  # checks who asks itself
    return {"id": case.pk, "number": case.number, "query_password": case.query_password, "status": case.status}


@router.post("/cases/{case_id}/withdraw", auth=api_auth, summary="撤回申请（决定之前）")
def withdraw_case(request, case_id: int):
    case = handling.withdraw(request.auth, _case_for(request, case_id, party_only=True))
    return queries.case_summary(case)


@router.get("/worklist", auth=api_auth, summary="工作人员待办/已办/预警/超期")
def worklist(request, status: str = "todo", case_number: str = "", page: int = 1, page_size: int = 20):
    if status not in ("todo", "done", "warning", "overdue"):
        raise ApiError("validation_error", _("状态筛选无效。"), {"status": "todo、done、warning、overdue"})
    with workdays.shared_session():
        return paginate(queries.worklist(request.auth, status, case_number), page, page_size, queries.work_item_dict)


@router.post("/worklist/{item_id}/act", auth=api_auth, summary="签收并办理待办")
def act(request, item_id: int, data: ActIn):
    """Answers with the case's state after the action (status, deadline, current steps, pauses);
    the full record is ``GET /api/v1/cases/{id}``."""
    payload = {k: v for k, v in data.dict().items() if k != "action" and v not in ("", [], None)}
    try:
        with workdays.shared_session():
            case = handling.act(request.auth, item_id, data.action, payload)
            return queries.case_state(case)
    except PermissionDenied:
        wi = WorkItem.objects.select_related("case").get(pk=item_id)
        audit.record("case.act_denied", actor=request.auth, obj=wi.case, summary=f"无权办理 {wi.step_label}")
        raise


@router.post("/worklist/{item_id}/claim", auth=api_auth, summary="签收待办")
def claim(request, item_id: int):
    wi = handling.claim(request.auth, get_object_or_404(WorkItem, pk=item_id))
    return queries.work_item_dict(WorkItem.objects.select_related("case__item_version", "department").get(pk=wi.pk))


@router.post("/worklist/{item_id}/release", auth=api_auth, summary="退签待办（退回部门队列）")
def release(request, item_id: int):
    wi = handling.release(request.auth, get_object_or_404(WorkItem, pk=item_id))
    return queries.work_item_dict(WorkItem.objects.select_related("case__item_version", "department").get(pk=wi.pk))


@router.post("/progress/resend", auth=None, summary="补发查询密码（短信发送至申请人预留手机）")
def progress_resend(request, data: ResendIn):
    progress.resend_password(data.number, ip=getattr(request, "client_ip", ""))
    return {"message": _("如办件编号正确，查询密码已通过短信发送至申请人预留的手机。")}


@router.post("/progress", auth=None, summary="办件进度查询（编号 + 查询密码）")
def progress_query(request, data: ProgressIn):
    return progress.query(data.number, data.password, ip=getattr(request, "client_ip", ""))
