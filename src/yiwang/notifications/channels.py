"""Sending one message on one channel: SMTP e-mail through Django's mail backend, SMS through the
configured provider. Each answer says whether trying again later can help."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email

from yiwang.accounts.services.validation import PHONE_RE
from yiwang.accounts.sms import get_provider
from yiwang.notifications import render, rules
from yiwang.notifications.models import Channel, Delivery


@dataclass
class Sent:
    ok: bool
    provider_message_id: str = ""
    error: str = ""
    retryable: bool = False


def _render_failed(exc: Exception) -> Sent:
    return Sent(False, error=f"模板渲染失败：{type(exc).__name__}: {exc}"[:2000])


def send_email(d: Delivery) -> Sent:
    try:
        validate_email(d.recipient)
    except ValidationError:
        return Sent(False, error="邮箱地址无效")
    try:
        subject = render.render(d.event_name, "title", d.context, d.language)
        body = render.render(d.event_name, "email", d.context, d.language)
    except Exception as exc:
        return _render_failed(exc)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [d.recipient],
                           headers={"Message-ID": d.message_id, "X-Yiwang-Delivery": str(d.uid)})
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _msg in exc.recipients.values()]
        return Sent(False, error=f"收件地址被拒绝：{codes}", retryable=all(c < 500 for c in codes))
    except smtplib.SMTPResponseException as exc:
        return Sent(False, error=f"邮件服务器拒绝（{exc.smtp_code}）：{exc.smtp_error!r}"[:2000],
                    retryable=exc.smtp_code < 500)
    except (OSError, smtplib.SMTPException) as exc:
        return Sent(False, error=f"邮件服务器不可用：{type(exc).__name__}: {exc}"[:2000], retryable=True)
    return Sent(True, provider_message_id=d.message_id)


def send_sms(d: Delivery) -> Sent:
    if not PHONE_RE.match(d.recipient or ""):
        return Sent(False, error="手机号无效")
    template = rules.sms_template(d.event_name)
    if not template:
        return Sent(False, error="该事件未配置短信模板")
    try:
        text = render.render(d.event_name, "body", d.context, d.language)
        params = render.sms_params(template.get("params", []), d.context, d.language)
    except Exception as exc:
        return _render_failed(exc)
    try:
        result = get_provider().send(d.recipient, text, template=template["code"], params=params,
                                     sign_name=settings.YIWANG_SMS_SIGN_NAME, out_id=str(d.uid))
    except Exception as exc:  # a provider adapter bug or network trouble it did not classify
        return Sent(False, error=f"短信通道异常：{type(exc).__name__}: {exc}"[:2000], retryable=True)
    if result.ok:
        return Sent(True, provider_message_id=result.provider_message_id)
    code = f"[{result.error_code}] " if result.error_code else ""
    return Sent(False, error=f"{code}{result.error}"[:2000], retryable=result.retryable)


SENDERS = {Channel.EMAIL: send_email, Channel.SMS: send_sms}
