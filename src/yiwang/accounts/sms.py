"""SMS provider interface.

Real gateways send only templates registered with them: a template code, its parameters and a
signature (签名). ``out_id`` is our own stable id for the message, recorded before sending, so a
duplicate caused by a crash after the provider accepted it can be recognised. The built-in
``DevelopmentSmsProvider`` is a development double: it writes to the log and to an admin page and
sends nothing. ``yiwang.accounts.sms_aliyun.AliyunSmsProvider`` talks to 阿里云短信.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from yiwang.core.masking import mask_phone

log = logging.getLogger("yiwang.sms")


@dataclass
class SmsResult:
    """What the provider answered. ``retryable`` is true for errors worth trying again later
    (rate limits, network trouble, provider outages); false ones go straight to the dead letters."""

    ok: bool
    provider_message_id: str = ""
    error: str = ""
    error_code: str = ""
    retryable: bool = False


class SmsProvider(ABC):
    """Send one text to one phone number."""

    name = "base"
    is_development = False

    @abstractmethod
    def send(
        self, phone: str, text: str, *, template: str = "", params: dict | None = None,
        sign_name: str = "", out_id: str = "",
    ) -> SmsResult:
        """Send ``text`` (what the template renders to, for providers without templates) or
        ``template`` with ``params`` to one mainland mobile number."""


class DevelopmentSmsProvider(SmsProvider):
    """Development double (开发用短信通道): logs the message and keeps it for the admin page."""

    name = "development"
    is_development = True

    def send(
        self, phone: str, text: str, *, template: str = "", params: dict | None = None,
        sign_name: str = "", out_id: str = "",
    ) -> SmsResult:
        from yiwang.accounts.models import DevSmsMessage

        msg = DevSmsMessage.objects.create(phone=phone, phone_masked=mask_phone(phone), text=text)
        log.info("开发短信 → %s：%s", mask_phone(phone), text)
        return SmsResult(ok=True, provider_message_id=f"dev-{msg.pk}")


def get_provider() -> SmsProvider:
    return import_string(settings.YIWANG_SMS_PROVIDER)()
