"""Case states, result codes and the allowed transitions, as data (DESIGN §3, §4.2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已申报")
    CORRECTION_REQUESTED = "correction_requested", _("补齐补正")
    REFUSED = "refused", _("不予受理")
    ACCEPTED = "accepted", _("已受理")
    IN_REVIEW = "in_review", _("审查中")
    SUSPENDED = "suspended", _("特别程序")
    DECIDED = "decided", _("已决定")
    COMPLETED = "completed", _("已办结")
    DELIVERED = "delivered", _("已送达")
    WITHDRAWN = "withdrawn", _("已撤回")
    VOIDED = "voided", _("已作废")
    TRANSFERRED = "transferred", _("已转报")


S = CaseStatus
TERMINAL = {S.DELIVERED, S.WITHDRAWN, S.VOIDED, S.TRANSFERRED, S.REFUSED}
# Before a decision the applicant may withdraw (行政许可法: 撤回申请).
WITHDRAWABLE = {S.SUBMITTED, S.CORRECTION_REQUESTED, S.ACCEPTED, S.IN_REVIEW, S.SUSPENDED}

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.VOIDED},
    S.SUBMITTED: {S.ACCEPTED, S.REFUSED, S.CORRECTION_REQUESTED, S.WITHDRAWN, S.TRANSFERRED, S.VOIDED},
    # the applicant re-supplies (→ submitted), or the reply date passes (→ completed, 补正超时)
    S.CORRECTION_REQUESTED: {S.SUBMITTED, S.COMPLETED, S.WITHDRAWN, S.VOIDED},
    S.ACCEPTED: {S.IN_REVIEW, S.DECIDED, S.SUSPENDED, S.WITHDRAWN, S.VOIDED},
    S.IN_REVIEW: {S.SUSPENDED, S.DECIDED, S.WITHDRAWN, S.VOIDED},
    S.SUSPENDED: {S.IN_REVIEW, S.ACCEPTED, S.WITHDRAWN, S.VOIDED},
    S.DECIDED: {S.COMPLETED},
    S.COMPLETED: {S.DELIVERED},
    S.REFUSED: set(),
    S.DELIVERED: set(),
    S.WITHDRAWN: set(),
    S.VOIDED: set(),
    S.TRANSFERRED: set(),
}


class ResultCode(models.TextChoices):
    """办结 result codes (GB/T 39046 case datasets)."""

    CERTIFICATE = "0", _("出证")
    RETURNED = "1", _("退回")
    VOIDED = "2", _("作废")
    DELETED = "3", _("删除")
    TRANSFERRED = "4", _("转报")
    CORRECTION_TIMEOUT = "5", _("补正超时")
    DONE = "6", _("办结")


class Outcome(models.TextChoices):
    GRANT = "grant", _("准予")
    DENY = "deny", _("不予")


class Warning(models.TextChoices):
    NORMAL = "normal", _("正常")
    WARNING = "warning", _("黄灯预警")
    OVERDUE = "overdue", _("红灯超期")


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())
