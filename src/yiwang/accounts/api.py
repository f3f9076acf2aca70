"""Accounts API: SMS codes, registration, tokens, identity verification, profile, enterprises,
demo accounts. Handlers only parse, call a service and shape the answer."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from yiwang.accounts import queries
from yiwang.accounts.apiauth import api_auth
from yiwang.accounts.models import Enterprise
from yiwang.accounts.services import enterprises, login, profile, registration, sms_codes
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


@router.get("/demo/accounts", auth=None, summary="演示账号（仅演示模式）")
def demo_accounts(request, page: int = 1, page_size: int = 100):
    if settings.PRODUCTION or not settings.DEMO_MODE:
        raise Http404
    return paginate(queries.demo_accounts(), page, page_size, lambda row: row)
