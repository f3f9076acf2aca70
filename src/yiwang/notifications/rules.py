"""Who hears of which event, and on which channels by default (in-app is always on).

``label`` names the message on the preferences page. Users may switch e-mail and SMS on or off per
event; staff alerts default to in-app only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from yiwang.notifications.models import Channel

APPLICANT = "applicant"
STAFF = "staff"
ACCOUNT = "account"


@dataclass(frozen=True)
class Rule:
    event: str
    audience: str
    label: str
    defaults: frozenset[str] = frozenset()

    def default_for(self, channel: str) -> bool:
        return channel == Channel.INAPP or channel in self.defaults


_MAIL = frozenset({Channel.EMAIL})
_MAIL_SMS = frozenset({Channel.EMAIL, Channel.SMS})

RULES: dict[str, Rule] = {r.event: r for r in (
    Rule("case.submitted", APPLICANT, _("申报回执"), _MAIL),
    Rule("case.accepted", APPLICANT, _("受理通知"), _MAIL_SMS),
    Rule("case.correction_requested", APPLICANT, _("补正通知"), _MAIL_SMS),
    Rule("case.refused", APPLICANT, _("不予受理通知"), _MAIL_SMS),
    Rule("case.decided", APPLICANT, _("审批决定"), _MAIL),
    Rule("case.completed", APPLICANT, _("办结通知"), _MAIL_SMS),
    Rule("case.delivered", APPLICANT, _("送达通知"), _MAIL),
    Rule("case.withdrawn", APPLICANT, _("撤回确认"), frozenset()),
    Rule("workitem.created", STAFF, _("新的待办"), frozenset()),
    Rule("deadline.warning", STAFF, _("黄灯预警"), frozenset()),
    Rule("deadline.overdue", STAFF, _("红灯超期"), frozenset()),
    Rule("account.password_changed", ACCOUNT, _("密码修改提醒"), _MAIL_SMS),
    Rule("account.password_reset", ACCOUNT, _("密码重置提醒"), _MAIL_SMS),
)}

# Events of a bundle's child case that still reach the applicant (they need the applicant to act);
# the rest are told once, on the parent case.
CHILD_CASE_EVENTS = {"case.correction_requested", "case.refused"}

# SMS only goes out through templates registered with the provider: event → template code and the
# parameter names it takes. A deployment overrides the codes with YIWANG_SMS_TEMPLATES (settings).
SMS_TEMPLATES: dict[str, dict] = {
    "case.accepted": {"code": "SMS_YIWANG_ACCEPTED", "params": ["number", "due_date"]},
    "case.correction_requested": {"code": "SMS_YIWANG_CORRECTION", "params": ["number", "reply_by"]},
    "case.refused": {"code": "SMS_YIWANG_REFUSED", "params": ["number"]},
    "case.completed": {"code": "SMS_YIWANG_COMPLETED", "params": ["number", "result"]},
    "case.submitted": {"code": "SMS_YIWANG_SUBMITTED", "params": ["number"]},
    "case.decided": {"code": "SMS_YIWANG_DECIDED", "params": ["number", "outcome"]},
    "case.delivered": {"code": "SMS_YIWANG_DELIVERED", "params": ["number", "method"]},
    "case.withdrawn": {"code": "SMS_YIWANG_WITHDRAWN", "params": ["number"]},
    "account.password_changed": {"code": "SMS_YIWANG_PASSWORD", "params": ["time"]},
    "account.password_reset": {"code": "SMS_YIWANG_PASSWORD", "params": ["time"]},
}


def sms_template(event: str) -> dict | None:
    override = getattr(settings, "YIWANG_SMS_TEMPLATES", {}) or {}
    return override.get(event) or SMS_TEMPLATES.get(event)
