"""Anonymous progress query (办件查询) by case number + query password: rate-limited per address
and per number, a wrong pair is indistinguishable from an unknown number, the name is masked."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.utils.translation import gettext as _

from yiwang.cases.models import Case
from yiwang.core import ratelimit
from yiwang.core.api import NotFound, RateLimited
from yiwang.core.clock import iso
from yiwang.core.masking import mask_name

PER_IP_LIMIT, PER_NUMBER_LIMIT, WINDOW = 30, 10, 15 * 60


def query(number: str, password: str, ip: str = "") -> dict:
    number, password = (number or "").strip()[:50], (password or "").strip()[:20]
    if ip and not ratelimit.hit("progress-ip", ip, PER_IP_LIMIT, WINDOW):
        raise RateLimited("rate_limited", _("查询过于频繁，请稍后再试。"))
    if number and not ratelimit.hit("progress-number", number, PER_NUMBER_LIMIT, WINDOW):
        raise RateLimited("rate_limited", _("该办件查询次数过多，请稍后再试。"))
    case = (Case.objects.select_related("item_version", "applicant", "department", "bundle")
            .filter(number=number).first()) if number else None
    if case is None or not case.query_password or not hmac.compare_digest(case.query_password, password):
        raise NotFound("not_found", _("办件编号或查询密码不正确。"))
    return {
        "number": case.number,
        "item_name": case.bundle.name if case.bundle_id and case.parent_id is None else case.item_version.name,
        "applicant": mask_name(case.applicant.name),
        "status": case.status,
        "status_label": case.get_status_display(),
        "due_date": case.due_date.isoformat() if case.due_date else None,
        "due_provisional": case.due_provisional,
        "steps": [
            {"step": t.step, "action": t.action, "action_label": t.get_action_display(),
             "department": t.department.name if t.department else "", "ended_at": iso(t.ended_at)}
            for t in case.timeline.select_related("department")
        ],
    }


RESEND_PER_NUMBER, RESEND_WINDOW = 3, 60 * 60


def resend_password(number: str, ip: str = "") -> None:
    """A lost query password goes by SMS to the phone on the applicant's record — never to a number
    the caller gives. The answer is the same whether or not the number exists (no enumeration)."""
    from yiwang.accounts.sms import get_provider
    from yiwang.core import audit
    from yiwang.core.masking import mask_phone

    number = (number or "").strip()[:50]
    if ip and not ratelimit.hit("progress-ip", ip, PER_IP_LIMIT, WINDOW):
        raise RateLimited("rate_limited", _("查询过于频繁，请稍后再试。"))
    if number and not ratelimit.hit("progress-resend", number, RESEND_PER_NUMBER, RESEND_WINDOW):
        raise RateLimited("rate_limited", _("该办件的查询密码已多次发送，请一小时后再试。"))
    case = Case.objects.select_related("applicant").filter(number=number).first() if number else None
    if case is None or not case.query_password or not case.applicant.phone:
        return
    text = _("【一网通办】您的办件 %(n)s 的查询密码是 %(p)s，请妥善保管。") % {"n": case.number, "p": case.query_password}
    # Template providers send only the registered template: the password must be a parameter too.
    get_provider().send(case.applicant.phone, text, template="case_query_password",
                        params={"number": case.number, "password": case.query_password},
                        sign_name=settings.YIWANG_SMS_SIGN_NAME)
    audit.record("case.query_password_resent", actor=None, obj=case,
                 summary=f"查询密码已发送至 {mask_phone(case.applicant.phone)}")
