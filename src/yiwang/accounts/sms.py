"""SMS provider interface. Real gateways (阿里云/腾讯云) plug in with the notifications issue;
the built-in ``DevelopmentSmsProvider`` is a development double: it writes to the log and to an
admin page and sends nothing."""

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
    ok: bool
    provider_message_id: str = ""
    error: str = ""


class SmsProvider(ABC):
    """Send one text to one phone number."""

    name = "base"
    is_development = False

    @abstractmethod
    def send(self, phone: str, text: str, *, template: str = "", params: dict | None = None) -> SmsResult:
        ...


class DevelopmentSmsProvider(SmsProvider):
    """Development double (开发用短信通道): logs the message and keeps it for the admin page."""

    name = "development"
    is_development = True

    def send(self, phone: str, text: str, *, template: str = "", params: dict | None = None) -> SmsResult:
        from yiwang.accounts.models import DevSmsMessage

        msg = DevSmsMessage.objects.create(phone=phone, phone_masked=mask_phone(phone), text=text)
        log.info("开发短信 → %s：%s", mask_phone(phone), text)
        return SmsResult(ok=True, provider_message_id=f"dev-{msg.pk}")


def get_provider() -> SmsProvider:
    return import_string(settings.YIWANG_SMS_PROVIDER)()
