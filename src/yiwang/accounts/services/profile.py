"""The citizen's own account: passwords, e-mail, closing (注销) and the personal data export."""

from __future__ import annotations

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import ApiToken, EnterpriseMembership, ProxyAuthorization, User
from yiwang.accounts.services import sms_codes
from yiwang.accounts.services.validation import FieldErrors, check_password, check_phone
from yiwang.core import audit
from yiwang.core.api import ApiError
from yiwang.core.clock import iso
from yiwang.core.crypto import blind_index
from yiwang.core.events import emit

EMAIL_SALT = "yiwang.email-verify"
EMAIL_MAX_AGE = 3 * 24 * 3600


def change_password(user: User, old_password: str, new_password: str) -> None:
    errors = FieldErrors()
    if not user.check_password(old_password or ""):
        errors.add("old_password", _("原密码不正确。"))
    check_password(errors, new_password, user, "new_password")
    errors.raise_if_any()
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit.record("account.password_changed", actor=user, obj=user, summary="修改密码（已吊销全部访问令牌）")
        emit("account.password_changed", {"user_id": user.pk})


def reset_password(phone: str, sms_code: str, new_password: str) -> User:
    errors = FieldErrors()
    phone = check_phone(errors, phone)
    user = User.objects.filter(phone_index=blind_index("phone", phone)).first() if phone else None
    if phone and "phone" not in errors.fields and user is None:
        errors.add("phone", _("该手机号尚未注册。"))
    check_password(errors, new_password, user, "new_password")
    errors.raise_if_any()
    sms_codes.consume_code(phone, "reset", sms_code)
    with transaction.atomic():
        user.set_password(new_password)
        user.failed_logins, user.first_failed_at, user.locked_until = 0, None, None
        user.save(update_fields=["password", "failed_logins", "first_failed_at", "locked_until"])
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit.record("account.password_reset", actor=user, obj=user, summary="通过短信验证码重置密码")
        emit("account.password_reset", {"user_id": user.pk})
    return user


def update_contact(user: User, *, email: str | None = None, address: str | None = None) -> User:
    errors = FieldErrors()
    if email is not None and email and ("@" not in email or len(email) > 254):
        errors.add("email", _("请输入有效的电子邮箱。"))
    if address is not None and len(address) > 200:
        errors.add("address", _("地址过长（最多 200 字）。"))
    errors.raise_if_any()
    with transaction.atomic():
        changed = []
        if email is not None and email.strip() != user.email:
            user.email, user.email_verified = email.strip(), False
            changed += ["email", "email_verified"]
            transaction.on_commit(lambda: send_email_verification(user))
        if address is not None and address.strip() != user.address:
            user.address = address.strip()
            changed.append("address")
        if changed:
            user.save(update_fields=changed)
            audit.record("account.contact_updated", actor=user, obj=user, summary="更新联系方式",
                         data={"fields": [f for f in changed if f != "email_verified"]})
            emit("account.contact_updated", {"user_id": user.pk})
    return user


def email_verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_SALT)


def send_email_verification(user: User) -> None:
    """Mail a signed link; the address counts as verified only after it is opened."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    if not user.email:
        return
    link = settings.YIWANG_SITE_URL.rstrip("/") + reverse("accounts:email_verify", args=[email_verification_token(user)])
    send_mail(
        "【一网】请验证您的电子邮箱",
        f"{user.name or user.username}，您好：\n\n请在 3 天内打开以下链接完成邮箱验证：\n{link}\n\n如非本人操作，请忽略本邮件。",
        None,
        [user.email],
    )
    audit.record("account.email_verification_sent", actor=user, obj=user, summary="发送邮箱验证链接")


def confirm_email(token: str) -> User:
    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=EMAIL_MAX_AGE)
    except signing.BadSignature as exc:
        raise ApiError("invalid_token", _("验证链接无效或已过期，请重新发送。")) from exc
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise ApiError("invalid_token", _("验证链接对应的邮箱已变更，请重新发送。"))
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(email_verified=True)
        audit.record("account.email_verified", actor=user, obj=user, summary="邮箱验证通过")
        emit("account.email_verified", {"user_id": user.pk})
    user.refresh_from_db()
    return user


def close_account(user: User, password: str) -> None:
    """注销: personal data is erased, tokens revoked, authorisations ended; the audit log keeps
    the fact (not the data) as the law on records requires."""
    if not user.check_password(password or ""):
        raise ApiError("invalid_password", _("密码不正确。"), {"password": _("密码不正确。")})
    now = timezone.now()
    with transaction.atomic():
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        ProxyAuthorization.objects.filter(grantor=user, revoked_at__isnull=True).update(revoked_at=now)
        EnterpriseMembership.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        user.id_number = user.phone = user.address = ""
        user.email, user.name, user.is_active, user.closed_at = "", "", False, now
        user.username = f"closed-{user.pk}"
        user.set_unusable_password()
        user.save()
        audit.record("account.closed", actor=user, obj=user, summary="用户注销账号，个人信息已删除")
        emit("account.closed", {"user_id": user.pk})


def export_personal_data(user: User) -> dict:
    """Everything we hold about the person, in plain form (they are entitled to it)."""
    from yiwang.core.models import AuditRecord

    audit.record("account.data_exported", actor=user, obj=user, summary="导出个人数据")
    return {
        "exported_at": iso(timezone.now()),
        "account": {
            "username": user.username, "name": user.name, "id_number": user.id_number, "phone": user.phone,
            "email": user.email, "email_verified": user.email_verified, "address": user.address,
            "level": user.level, "identity_verified_at": iso(user.identity_verified_at),
            "consent_at": iso(user.consent_at), "consent_version": user.consent_version,
            "date_joined": iso(user.date_joined), "last_login": iso(user.last_login),
        },
        "enterprises": [
            {"name": m.enterprise.name, "uscc": m.enterprise.uscc, "role": m.kind, "granted_at": iso(m.granted_at),
             "revoked_at": iso(m.revoked_at)}
            for m in user.enterprise_memberships.select_related("enterprise")
        ],
        "proxy_authorizations_given": [
            {"agent": p.agent.name or p.agent.username, "all_items": p.all_items, "item_codes": p.item_codes,
             "valid_from": str(p.valid_from), "valid_until": str(p.valid_until), "revoked_at": iso(p.revoked_at)}
            for p in user.proxy_grants.select_related("agent")
        ],
        "account_activity": [
            {"time": iso(r.created_at), "action": r.action, "summary": r.summary, "ip": r.ip}
            for r in AuditRecord.objects.filter(object_type="accounts.user", object_id=str(user.pk)).order_by("-seq")[:500]
        ],
    }


def create_proxy_authorization(actor: User, *, grantor: User, agent: User, all_items: bool, item_codes: list[str],
                               valid_from, valid_until, evidence=None, note: str = "") -> ProxyAuthorization:
    from yiwang.accounts.policies import holds, require
    from yiwang.accounts.roles import Role

    require(actor, "proxy.create")
    errors = FieldErrors()
    if actor.pk != grantor.pk and not holds(actor, Role.PROXY_AGENT):
        raise ApiError("forbidden", _("只能为本人创建代办授权。"), status=403)
    if actor.pk != grantor.pk and evidence is None:
        errors.add("evidence", _("窗口代录授权须上传本人签字的授权书。"))
    if not holds(agent, Role.PROXY_AGENT):
        errors.add("agent", _("被授权人须为帮办代办员。"))
    if not all_items and not item_codes:
        errors.add("item_codes", _("请选择授权事项，或选择全部事项。"))
    if valid_until < valid_from:
        errors.add("valid_until", _("截止日期不能早于生效日期。"))
    errors.raise_if_any()
    with transaction.atomic():
        p = ProxyAuthorization.objects.create(
            grantor=grantor, agent=agent, all_items=all_items, item_codes=[] if all_items else list(item_codes),
            valid_from=valid_from, valid_until=valid_until, note=note[:300], created_by=actor,
            **({"evidence": evidence} if evidence is not None else {}),
        )
        audit.record("proxy.authorized", actor=actor, obj=p, summary=f"{grantor.name} 授权 {agent.name} 代办",
                     data={"all_items": all_items, "item_codes": p.item_codes})
        emit("proxy.authorized", {"authorization_id": p.pk, "grantor_id": grantor.pk, "agent_id": agent.pk})
    return p


def revoke_proxy_authorization(actor: User, p: ProxyAuthorization) -> ProxyAuthorization:
    from yiwang.accounts.policies import require

    require(actor, "proxy.revoke", p)
    if p.revoked_at:
        return p
    with transaction.atomic():
        p.revoked_at = timezone.now()
        p.save(update_fields=["revoked_at"])
        audit.record("proxy.revoked", actor=actor, obj=p, summary="撤销代办授权")
        emit("proxy.revoked", {"authorization_id": p.pk})
    return p
