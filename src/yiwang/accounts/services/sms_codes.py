"""One-time SMS codes: sent through the provider, stored only as hashes, limited per phone,
per purpose and per IP, and consumed once."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yiwang.accounts.models import SmsCode
from yiwang.accounts.services.validation import FieldErrors, check_phone
from yiwang.accounts.sms import get_provider
from yiwang.core import audit, ratelimit
from yiwang.core.api import ApiError, RateLimited
from yiwang.core.crypto import blind_index
from yiwang.core.events import emit
from yiwang.core.masking import mask_phone

MAX_ATTEMPTS = 5
PURPOSE_LABELS = dict(SmsCode.Purpose.choices)


def _hash(phone_index: str, purpose: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone_index}|{purpose}|{code}".encode(), hashlib.sha256).hexdigest()


def send_code(phone: str, purpose: str, ip: str = "") -> tuple[SmsCode, str | None]:
    """Send a fresh code. Returns the code itself only when the development provider is in use
    in demo mode (the API hands it back as ``dev_code``)."""
    errors = FieldErrors()
    phone = check_phone(errors, phone)
    if purpose not in PURPOSE_LABELS:
        choices = pgettext("list separator", "、").join(PURPOSE_LABELS)
        errors.add("purpose", _("用途无效，可选：%(choices)s") % {"choices": choices})
    errors.raise_if_any()
    if ip and not ratelimit.hit("sms-ip", ip, 30, 3600):
        raise RateLimited("rate_limited", _("请求过于频繁，请稍后再试。"))
    index = blind_index("phone", phone)
    now = timezone.now()
    last = SmsCode.objects.filter(phone_index=index, purpose=purpose).order_by("-created_at").first()
    if last and (now - last.created_at).total_seconds() < settings.YIWANG_SMS_RESEND_SECONDS:
        wait = settings.YIWANG_SMS_RESEND_SECONDS - int((now - last.created_at).total_seconds())
        raise RateLimited("rate_limited", _("验证码已发送，请 %(wait)s 秒后再试。") % {"wait": wait})
    hour_ago = now - dt.timedelta(hours=1)
    if SmsCode.objects.filter(phone_index=index, created_at__gte=hour_ago).count() >= settings.YIWANG_SMS_PER_PHONE_PER_HOUR:
        raise RateLimited("rate_limited", _("该手机号一小时内获取验证码次数过多，请稍后再试。"))
    code = f"{secrets.randbelow(10**6):06d}"
    provider = get_provider()
    with transaction.atomic():
        sms = SmsCode.objects.create(
            phone_index=index,
            purpose=purpose,
            code_hash=_hash(index, purpose, code),
            expires_at=now + dt.timedelta(seconds=settings.YIWANG_SMS_CODE_TTL_SECONDS),
        )
        minutes = settings.YIWANG_SMS_CODE_TTL_SECONDS // 60
        result = provider.send(
            phone,
            f"【一网】您的{PURPOSE_LABELS[purpose]}验证码为 {code}，{minutes} 分钟内有效，请勿告诉他人。",
            template="verification_code",
            params={"code": code},
        )
        if not result.ok:
            raise ApiError("sms_failed", _("短信发送失败，请稍后再试。"), status=503)
        audit.record("auth.sms_code_sent", summary=f"{PURPOSE_LABELS[purpose]}验证码 → {mask_phone(phone)}",
                     object_type="accounts.smscode", object_id=sms.pk, data={"purpose": purpose})
        emit("auth.sms_code_sent", {"purpose": purpose, "sms_code_id": sms.pk})
    dev_code = code if (provider.is_development and settings.DEMO_MODE) else None
    return sms, dev_code


def consume_code(phone: str, purpose: str, code: str, field: str = "sms_code") -> None:
    """Check and use up a code; raises a 400 naming ``field`` when wrong or expired."""
    index = blind_index("phone", (phone or "").strip())
    now = timezone.now()
    with transaction.atomic():
        sms = (
            SmsCode.objects.select_for_update()
            .filter(phone_index=index, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        wrong = ApiError("invalid_sms_code", _("短信验证码错误或已过期。"), {field: _("短信验证码错误或已过期，请重新获取。")})
        if sms is None or sms.expires_at <= now or sms.attempts >= MAX_ATTEMPTS:
            raise wrong
        if not hmac.compare_digest(sms.code_hash, _hash(index, purpose, (code or "").strip())):
            SmsCode.objects.filter(pk=sms.pk).update(attempts=sms.attempts + 1)
            raise_after = wrong  # raised after the block so the counted attempt commits
        else:
            SmsCode.objects.filter(pk=sms.pk).update(used_at=now)
            raise_after = None
    if raise_after is not None:
        raise raise_after
