"""Certificate states and the allowed transitions, as data (DESIGN §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    SUSPENDED = "suspended", _("已中止")
    REVOKED = "revoked", _("已注销")
    SUPERSEDED = "superseded", _("已换发")


S = CertificateStatus
TRANSITIONS: dict[str, set[str]] = {
    S.VALID: {S.SUSPENDED, S.REVOKED, S.SUPERSEDED},
    S.SUSPENDED: {S.VALID, S.REVOKED, S.SUPERSEDED},
    S.REVOKED: set(),
    S.SUPERSEDED: set(),
}

# Log actions per transition target (the leaf's "action").
LOG_ACTION = {S.SUSPENDED: "suspend", S.REVOKED: "revoke", S.VALID: "resume", S.SUPERSEDED: "supersede"}


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())
