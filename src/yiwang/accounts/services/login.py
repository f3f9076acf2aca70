"""Password and SMS-code login with per-account lockout (5 failures in 15 minutes → 15 minutes)
and a separate generous per-IP limit (a county sits behind one proxy)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from yiwang.accounts.backends import find_user_by_identifier
from yiwang.accounts.models import User
from yiwang.accounts.services import sms_codes
from yiwang.core import audit, ratelimit
from yiwang.core.api import ApiError, Forbidden, RateLimited
from yiwang.core.clock import SHANGHAI
from yiwang.core.crypto import blind_index
from yiwang.core.events import emit


def invalid_credentials() -> ApiError:
    """Built per failure, so the message is in the language of the request at hand."""
    return ApiError("invalid_credentials", _("账号或密码错误。"), status=401)


def check_ip_limit(ip: str) -> None:
    if ip and not ratelimit.hit(
        "auth-ip", ip, settings.YIWANG_IP_RATE_LIMIT, settings.YIWANG_IP_RATE_WINDOW_SECONDS
    ):
        audit.record("auth.ip_rate_limited", summary=f"来源 {ip} 登录请求过多", ip=ip)
        raise RateLimited("rate_limited", _("登录请求过于频繁，请稍后再试。"))


def locked_error(user: User) -> Forbidden:
    until = user.locked_until.astimezone(SHANGHAI).strftime("%H:%M")
    return Forbidden(
        "account_locked",
        _("该账号因连续 %(failures)s 次密码错误已被锁定，请于 %(until)s 后重试，或使用短信验证码解锁。")
        % {"failures": settings.YIWANG_LOCKOUT_FAILURES, "until": until},
    )


def record_failure(user: User, reason: str) -> User:
    """Count a failed attempt in its own transaction; lock the account at the threshold."""
    now = timezone.now()
    window = dt.timedelta(seconds=settings.YIWANG_LOCKOUT_WINDOW_SECONDS)
    with transaction.atomic():
        u = User.objects.select_for_update().get(pk=user.pk)
        if u.first_failed_at is None or now - u.first_failed_at > window:
            u.failed_logins, u.first_failed_at = 1, now
        else:
            u.failed_logins += 1
        fields = ["failed_logins", "first_failed_at"]
        audit.record("auth.login_failed", actor=u, obj=u, summary=f"登录失败（{reason}），第 {u.failed_logins} 次")
        if u.failed_logins >= settings.YIWANG_LOCKOUT_FAILURES and not u.is_locked(now):
            u.locked_until = now + dt.timedelta(seconds=settings.YIWANG_LOCKOUT_SECONDS)
            fields.append("locked_until")
            audit.record(
                "auth.account_locked", actor=u, obj=u,
                summary=f"连续 {u.failed_logins} 次登录失败，账号锁定至 {u.locked_until.astimezone(SHANGHAI):%Y-%m-%d %H:%M}",
            )
            emit("account.locked", {"user_id": u.pk})
        u.save(update_fields=fields)
    return u


def _clear_failures(user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_logins=0, first_failed_at=None, locked_until=None)


def needs_otp(user: User) -> bool:
    """Staff with a confirmed TOTP device always use it; when 2FA is required, staff must have one."""
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return has_device or (settings.YIWANG_STAFF_2FA_REQUIRED and is_staff_member(user))


def is_staff_member(user: User) -> bool:
    return bool(user.is_staff or user.is_superuser or user.staff_roles.exists())


def verify_otp(user: User, otp: str | None) -> TOTPDevice | None:
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if otp and device.verify_token(otp.strip()):
            return device
    return None


def authenticate(identifier: str, password: str, *, ip: str = "", otp: str | None = None,
                 require_otp: bool = True) -> tuple[User, TOTPDevice | None]:
    """Check a password login. ``require_otp=False`` lets the web flow ask for the code on a
    second page; the API asks for it in the same request."""
    check_ip_limit(ip)
    user = find_user_by_identifier(identifier)
    if user is None or not user.is_active or user.closed_at:
        User().set_password(password or "")
        audit.record("auth.login_failed", summary="登录失败（账号不存在或已停用）", data={"identifier_len": len(identifier or "")})
        raise invalid_credentials()
    if user.is_locked():
        audit.record("auth.login_refused_locked", actor=user, obj=user, summary="账号锁定期间尝试登录")
        raise locked_error(user)
    if not user.check_password(password or ""):
        user = record_failure(user, "密码错误")
        if user.is_locked():
            raise locked_error(user)
        raise invalid_credentials()
    device = None
    if needs_otp(user):
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise Forbidden("otp_not_enrolled", _("工作人员须先绑定动态口令（TOTP）后才能登录，请联系安全管理员。"))
        if require_otp or otp:
            device = verify_otp(user, otp)
            if device is None:
                user = record_failure(user, "动态口令错误")
                if user.is_locked():
                    raise locked_error(user)
                raise ApiError("invalid_otp", _("动态口令错误或已过期。"), {"otp": _("请输入验证器中当前的 6 位动态口令。")}, status=401)
    _clear_failures(user)
    return user, device


def record_login(user: User, channel: str) -> None:
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    audit.record("auth.login", actor=user, obj=user, summary=f"登录成功（{channel}）")


def record_logout(user: User) -> None:
    audit.record("auth.logout", actor=user, obj=user, summary="退出登录")


def authenticate_by_sms(phone: str, code: str, *, ip: str = "") -> User:
    check_ip_limit(ip)
    sms_codes.consume_code(phone, "login", code)
    user = User.objects.filter(phone_index=blind_index("phone", phone.strip()), is_active=True, closed_at__isnull=True).first()
    if user is None:
        raise ApiError("unknown_phone", _("该手机号尚未注册。"), {"phone": _("该手机号尚未注册，请先注册。")})
    if user.is_locked():
        raise locked_error(user)
    if needs_otp(user):
        raise Forbidden("otp_required", _("工作人员请使用账号密码加动态口令登录。"))
    _clear_failures(user)
    return user


def unlock_by_sms(phone: str, code: str, *, ip: str = "") -> User:
    check_ip_limit(ip)
    sms_codes.consume_code(phone, "unlock", code)
    user = User.objects.filter(phone_index=blind_index("phone", phone.strip())).first()
    if user is None:
        raise ApiError("unknown_phone", _("该手机号尚未注册。"), {"phone": _("该手机号尚未注册。")})
    with transaction.atomic():
        _clear_failures(user)
        audit.record("auth.account_unlocked", actor=user, obj=user, summary="本人通过短信验证码解锁")
        emit("account.unlocked", {"user_id": user.pk, "by": "sms"})
    return user


def unlock_by_admin(actor: User, user: User) -> None:
    from yiwang.accounts.policies import require

    require(actor, "account.unlock", user)
    with transaction.atomic():
        _clear_failures(user)
        audit.record("auth.account_unlocked", actor=actor, obj=user, summary=f"管理员解锁账号 {user.username}")
        emit("account.unlocked", {"user_id": user.pk, "by": "admin"})
