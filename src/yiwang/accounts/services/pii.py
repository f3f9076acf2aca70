"""Unmasking another person's personal data is a deliberate, audited act (DESIGN §5)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yiwang.accounts.models import User
from yiwang.accounts.policies import require
from yiwang.core import audit
from yiwang.core.api import ApiError

REVEALABLE = {"id_number": "身份证号", "phone": "手机号", "address": "住址"}


def reveal(actor: User, subject: User, field: str, reason: str) -> str:
    """Return the plaintext of one field and record who saw it and why."""
    require(actor, "pii.unmask", subject)
    if field not in REVEALABLE:
        choices = pgettext("list separator", "、").join(REVEALABLE)
        raise ApiError("invalid_field", _("不支持查看该字段。"), {"field": _("可选：%(fields)s") % {"fields": choices}})
    reason = (reason or "").strip()
    if not reason:
        raise ApiError("reason_required", _("查看完整个人信息须说明事由。"), {"reason": _("请填写查看事由")})
    audit.record("pii.unmasked", actor=actor, obj=subject, summary=f"查看{REVEALABLE[field]}：{reason[:100]}",
                 data={"field": field, "reason": reason[:200]})
    return getattr(subject, field)
