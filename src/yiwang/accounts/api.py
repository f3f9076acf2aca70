"""Accounts API: SMS codes, registration, tokens, identity verification, profile, enterprises,
demo accounts. Handlers only parse, call a service and shape the answer."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from yiwang.accounts import policies, queries
from yiwang.accounts.apiauth import api_auth
from yiwang.accounts.models import Enterprise, EnterpriseMembership, ProxyAuthorization, StaffRole
from yiwang.accounts.services import enterprises, login, profile, registration, sms_codes, staff
from yiwang.accounts.tokens import issue_token
from yiwang.core.api import paginate
from yiwang.core.clock import iso

router = Router(tags=["accounts"])


class SmsCodeIn(Schema):
    phone: str = ""
    purpose: str = ""


class RegisterIn(Schema):
    name: str = ""
    id_number: str = ""
    phone: str = ""
    sms_code: str = ""
    password: str = ""
    consent: bool = False
    username: str = ""
    email: str = ""


class TokenIn(Schema):
    username: str = ""
    password: str = ""
    otp: str | None = None


class UnlockIn(Schema):
    phone: str = ""
    sms_code: str = ""


class PasswordResetIn(Schema):
    phone: str = ""
    sms_code: str = ""
    new_password: str = ""


class DisputeIn(Schema):
    name: str = ""
    id_number: str = ""
    phone: str = ""
    description: str = ""


class EnterpriseIn(Schema):
    name: str = ""
    uscc: str = ""
    type: str = Enterprise.Type.COMPANY
    legal_rep_name: str = ""
    address: str = ""


def _ip(request: HttpRequest) -> str:
    return getattr(request, "client_ip", request.META.get("REMOTE_ADDR", ""))


@router.post("/auth/sms-code", auth=None, summary="发送短信验证码")
def send_sms_code(request, data: SmsCodeIn):
    sms, dev_code = sms_codes.send_code(data.phone, data.purpose, ip=_ip(request))
    body = {"sent": True, "expires_at": iso(sms.expires_at), "resend_after": settings.YIWANG_SMS_RESEND_SECONDS}
    if dev_code is not None:
        body["dev_code"] = dev_code
    return body


@router.post("/auth/register", auth=None, response={201: dict}, summary="自然人注册")
def register(request, data: RegisterIn):
    user = registration.register_citizen(**data.dict())
    return Status(201, queries.profile_dict(user))


@router.post("/auth/token", auth=None, summary="获取访问令牌")
def token(request, data: TokenIn):
    user, _device = login.authenticate(data.username, data.password, ip=_ip(request), otp=data.otp)
    key, tok = issue_token(user)
    login.record_login(user, "访问令牌")
    return {"token": key, "expires_at": iso(tok.expires_at), "token_type": "Bearer"}


@router.post("/auth/token/revoke", auth=api_auth, summary="吊销当前访问令牌")
def revoke_token(request):
    from yiwang.accounts.tokens import revoke_key

    header = request.headers.get("Authorization", "")
    revoked = revoke_key(request.auth, header.removeprefix("Bearer ").strip())
    return {"revoked": revoked}


@router.post("/auth/unlock", auth=None, summary="短信验证码解锁账号")
def unlock(request, data: UnlockIn):
    login.unlock_by_sms(data.phone, data.sms_code, ip=_ip(request))
    return {"unlocked": True}


@router.post("/auth/password-reset", auth=None, summary="短信验证码重置密码")
def password_reset(request, data: PasswordResetIn):
    profile.reset_password(data.phone, data.sms_code, data.new_password)
    return {"reset": True}


@router.post("/auth/identity-disputes", auth=None, response={201: dict}, summary="实名申诉（身份证号已被绑定）")
def file_dispute(request, data: DisputeIn):
    dispute = registration.file_dispute(**data.dict())
    return Status(201, {"id": dispute.pk, "status": dispute.status, "status_label": dispute.get_status_display()})


@router.post("/auth/verify-identity", auth=api_auth, summary="实名核验（提升至 2 级）")
def verify_identity(request):
    user = registration.verify_identity(request.auth)
    return queries.profile_dict(user)


@router.get("/me", auth=api_auth, summary="当前用户（个人信息已脱敏）")
def me(request):
    return queries.profile_dict(request.auth)


@router.get("/me/export", auth=api_auth, summary="导出个人数据")
def export(request):
    return profile.export_personal_data(request.auth)


@router.post("/enterprises", auth=api_auth, response={201: dict}, summary="申请绑定法人")
def create_enterprise(request, data: EnterpriseIn):
    ent = enterprises.request_enterprise(request.auth, **data.dict())
    return Status(201, queries.enterprise_dict(ent))


@router.get("/enterprises", auth=api_auth, summary="我的法人（含待核验）")
def list_enterprises(request, page: int = 1, page_size: int = 20):
    return paginate(queries.enterprises_visible_to(request.auth), page, page_size, queries.enterprise_dict)


class RevealIn(Schema):
    reason: str = ""


@router.post("/users/{user_id}/pii/{field}", auth=api_auth, summary="查看完整个人信息（留痕）")
def reveal_pii(request, user_id: int, field: str, data: RevealIn):
    from django.shortcuts import get_object_or_404

    from yiwang.accounts.models import User
    from yiwang.accounts.services import pii

    subject = get_object_or_404(User, pk=user_id)
    return {"field": field, "value": pii.reveal(request.auth, subject, field, data.reason)}


class AgentIn(Schema):
    user: str = ""  # username, phone or ID number of the person to authorise


class ProxyIn(Schema):
    agent: str = ""
    all_items: bool = False
    item_codes: list[str] = []
    valid_from: date | None = None
    valid_until: date | None = None
    note: str = ""


class StaffRoleIn(Schema):
    user: str = ""
    role: str = ""
    department_code: str | None = None
    region_code: str | None = None


def _person(identifier: str, field: str):
    from yiwang.accounts.backends import find_user_by_identifier
    from yiwang.core.api import ApiError

    user = find_user_by_identifier(identifier)
    if user is None or not user.is_active:
        raise ApiError("unknown_user", _("找不到该用户。"), {field: _("请输入对方的用户名、手机号或身份证号。")})
    return user


@router.post("/enterprises/{enterprise_id}/agents", auth=api_auth, response={201: dict}, summary="授权经办人")
def grant_agent(request, enterprise_id: int, data: AgentIn):
    ent = get_object_or_404(Enterprise, pk=enterprise_id)
    m = enterprises.grant_agent(request.auth, ent, _person(data.user, "user"))
    return Status(201, {"id": m.pk, "user": m.user.username, "kind": m.kind, "granted_at": iso(m.granted_at)})


@router.delete("/enterprises/{enterprise_id}/agents/{membership_id}", auth=api_auth, summary="撤销经办人")
def revoke_agent(request, enterprise_id: int, membership_id: int):
    m = get_object_or_404(EnterpriseMembership, pk=membership_id, enterprise_id=enterprise_id)
    enterprises.revoke_agent(request.auth, m)
    return {"revoked": True}


def _proxy_dict(p: ProxyAuthorization) -> dict:
    return {"id": p.pk, "grantor": p.grantor.name, "agent": p.agent.name or p.agent.username,
            "all_items": p.all_items, "item_codes": p.item_codes, "valid_from": str(p.valid_from),
            "valid_until": str(p.valid_until), "revoked": p.revoked_at is not None}


@router.post("/proxy-authorizations", auth=api_auth, response={201: dict}, summary="本人授权帮办代办员")
def create_proxy(request, data: ProxyIn):
    from yiwang.core.api import ApiError

    if data.valid_from is None or data.valid_until is None:
        raise ApiError("validation_error", _("请填写授权起止日期。"),
                       {k: _("请填写日期") for k in ("valid_from", "valid_until") if getattr(data, k) is None})
    p = profile.create_proxy_authorization(
        request.auth, grantor=request.auth, agent=_person(data.agent, "agent"), all_items=data.all_items,
        item_codes=data.item_codes, valid_from=data.valid_from, valid_until=data.valid_until, note=data.note,
    )
    return Status(201, _proxy_dict(p))


@router.get("/proxy-authorizations", auth=api_auth, summary="我给出或收到的代办授权")
def list_proxies(request, page: int = 1, page_size: int = 20):
    return paginate(policies.proxy_authorizations_for(request.auth), page, page_size, _proxy_dict)


@router.post("/proxy-authorizations/{pk}/revoke", auth=api_auth, summary="撤销代办授权")
def revoke_proxy(request, pk: int):
    p = get_object_or_404(ProxyAuthorization, pk=pk)
    return _proxy_dict(profile.revoke_proxy_authorization(request.auth, p))


@router.post("/staff-roles", auth=api_auth, response={201: dict}, summary="授予工作人员角色（安全管理员）")
def grant_staff_role(request, data: StaffRoleIn):
    from yiwang.org.models import Department, Region

    policies.require(request.auth, "staff_role.grant")
    dept = get_object_or_404(Department, code=data.department_code) if data.department_code else None
    region = get_object_or_404(Region, code=data.region_code) if data.region_code else None
    sr = staff.grant_role(request.auth, _person(data.user, "user"), data.role, department=dept, region=region)
    return Status(201, {"id": sr.pk, "user": sr.user.username, "role": sr.role, "role_label": sr.get_role_display(),
                        "department_code": dept.code if dept else None, "region_code": region.code if region else None})


@router.delete("/staff-roles/{pk}", auth=api_auth, summary="撤销工作人员角色（安全管理员）")
def revoke_staff_role(request, pk: int):
    policies.require(request.auth, "staff_role.grant")
    staff.revoke_role(request.auth, get_object_or_404(StaffRole, pk=pk))
    return {"revoked": True}


@router.get("/demo/accounts", auth=None, summary="演示账号（仅演示模式）")
def demo_accounts(request, page: int = 1, page_size: int = 100):
    if settings.PRODUCTION or not settings.DEMO_MODE:
        raise Http404
    return paginate(queries.demo_accounts(), page, page_size, lambda row: row)
