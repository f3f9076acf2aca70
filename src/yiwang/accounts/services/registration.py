"""Citizen registration (level 1: phone verified) and identity verification (level 2)."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yiwang.accounts.identity import get_verifier
from yiwang.accounts.models import IdentityDispute, User, VerificationLevel
from yiwang.accounts.services import sms_codes
from yiwang.accounts.services.validation import (
    FieldErrors,
    check_id_number,
    check_name,
    check_password,
    check_phone,
)
from yiwang.core import audit
from yiwang.core.api import ApiError, Conflict
from yiwang.core.crypto import blind_index
from yiwang.core.events import emit
from yiwang.core.identifiers import parse_id_number

PRIVACY_VERSION = "2026-11"
# Marked for extraction only; translated where it is used (in the language of the request).
ID_TAKEN = gettext_noop("该身份证号已绑定其他账号。如非本人注册，可提出实名申诉。")


def id_number_taken(id_number: str, exclude_user_id: int | None = None) -> bool:
    qs = User.objects.filter(id_number_index=blind_index("id_number", id_number))
    if exclude_user_id:
        qs = qs.exclude(pk=exclude_user_id)
    return qs.exists()


def phone_taken(phone: str) -> bool:
    return User.objects.filter(phone_index=blind_index("phone", phone)).exists()


def _new_username() -> str:
    while True:
        name = "u" + secrets.token_hex(5)
        if not User.objects.filter(username=name).exists():
            return name


def register_citizen(*, name: str, id_number: str, phone: str, sms_code: str, password: str,
                     consent: bool, username: str = "", email: str = "") -> User:
    """Create a level-1 account. Every field problem is reported at once; nothing is saved unless
    all checks pass and the SMS code is right."""
    errors = FieldErrors()
    name = check_name(errors, name)
    id18 = check_id_number(errors, id_number)
    phone = check_phone(errors, phone)
    if id18 and id_number_taken(id18):
        errors.add("id_number", _(ID_TAKEN))
    if phone and "phone" not in errors.fields and phone_taken(phone):
        errors.add("phone", _("该手机号已注册，请直接登录或找回密码。"))
    username = (username or "").strip()
    if username:
        if not (3 <= len(username) <= 30) or not username.replace("_", "").isalnum() or username.isdigit():
            errors.add("username", _("用户名为 3–30 位字母、数字或下划线，且不能全为数字。"))
        elif User.objects.filter(username__iexact=username).exists():
            errors.add("username", _("该用户名已被使用。"))
    check_password(errors, password, User(username=username, name=name))
    if consent is not True:
        errors.add("consent", _("请阅读并同意《隐私政策与个人信息处理规则》。"))
    if not (sms_code or "").strip():
        errors.add("sms_code", _("请输入短信验证码。"))
    errors.raise_if_any()
    sms_codes.consume_code(phone, "register", sms_code)
    info = parse_id_number(id18)
    try:
        with transaction.atomic():
            user = User(
                username=username or _new_username(),
                name=name,
                id_number=id18,
                phone=phone,
                email=(email or "").strip(),
                level=VerificationLevel.PHONE,
                consent_at=timezone.now(),
                consent_version=PRIVACY_VERSION,
            )
            user.set_password(password)
            user.save()
            audit.record("account.registered", actor=user, obj=user, summary="自然人注册（手机已验证）",
                         data={"level": 1, "consent_version": PRIVACY_VERSION, "birth_year": info.birth_date.year})
            emit("account.registered", {"user_id": user.pk, "level": 1})
    except IntegrityError as exc:  # a concurrent registration won the race
        raise Conflict("already_registered", _("该身份证号或手机号已注册。"), {"id_number": _(ID_TAKEN)}) from exc
    return user


def verify_identity(user: User) -> User:
    """Raise a level-1 account to level 2 through the identity-verification provider."""
    if user.level >= VerificationLevel.IDENTITY:
        return user
    if not user.id_number:
        raise ApiError("id_number_missing", _("账号未登记身份证号，无法实名核验。"), {"id_number": _("请先登记身份证号。")})
    result = get_verifier().verify(user.name, user.id_number)
    with transaction.atomic():
        if not result.verified:
            with translation.override("zh-hans"):  # audit records are kept in Chinese
                reason_zh = str(result.reason)
            audit.record("account.identity_failed", actor=user, obj=user, summary=f"实名核验未通过：{reason_zh}")
            raise ApiError("identity_not_verified", _("实名核验未通过：%(reason)s") % {"reason": result.reason})
        User.objects.filter(pk=user.pk).update(level=VerificationLevel.IDENTITY, identity_verified_at=timezone.now())
        audit.record("account.identity_verified", actor=user, obj=user, summary="实名核验通过，认证等级提升为 2 级")
        emit("account.identity_verified", {"user_id": user.pk})
    user.refresh_from_db()
    return user


def file_dispute(*, name: str, id_number: str, phone: str, description: str) -> IdentityDispute:
    """Someone whose ID number is already bound to another account asks staff to check."""
    errors = FieldErrors()
    name = check_name(errors, name)
    id18 = check_id_number(errors, id_number)
    phone = check_phone(errors, phone)
    if not (description or "").strip():
        errors.add("description", _("请说明情况，便于工作人员核实。"))
    errors.raise_if_any()
    with transaction.atomic():
        dispute = IdentityDispute.objects.create(name=name, id_number=id18, phone=phone, description=description.strip())
        audit.record("account.dispute_filed", obj=dispute, summary="提交实名申诉")
        emit("account.dispute_filed", {"dispute_id": dispute.pk})
    return dispute


def resolve_dispute(actor: User, dispute: IdentityDispute, *, upheld: bool, resolution: str) -> IdentityDispute:
    """Upheld: the ID is unbound from the account that held it (that account drops to level 1)."""
    from yiwang.accounts.policies import require

    require(actor, "dispute.resolve", dispute)
    if dispute.status != IdentityDispute.Status.OPEN:
        raise Conflict("dispute_closed", _("该申诉已处理。"))
    with transaction.atomic():
        if upheld:
            holder = User.objects.filter(id_number_index=dispute.id_number_index).first()
            if holder:
                holder.id_number = ""
                holder.level = min(holder.level, VerificationLevel.PHONE)
                holder.identity_verified_at = None
                holder.save(update_fields=["id_number", "id_number_index", "level", "identity_verified_at"])
                audit.record("account.id_unbound", actor=actor, obj=holder, summary="实名申诉成立，解除身份证号绑定")
        dispute.status = IdentityDispute.Status.UPHELD if upheld else IdentityDispute.Status.REJECTED
        dispute.resolved_by, dispute.resolved_at, dispute.resolution = actor, timezone.now(), resolution[:300]
        dispute.save()
        audit.record("account.dispute_resolved", actor=actor, obj=dispute, summary=dispute.get_status_display())
        emit("account.dispute_resolved", {"dispute_id": dispute.pk, "upheld": upheld})
    return dispute
