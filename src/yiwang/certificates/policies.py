"""Who may see what of a certificate (enforced in the queries the views use)."""

from __future__ import annotations

from yiwang.accounts.policies import departments_scope
from yiwang.certificates import queries
from yiwang.certificates.models import Certificate


def is_holder(user, cert: Certificate) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and queries.held_by(user, cert.pk) is not None


def is_issuer_staff(user, cert: Certificate) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return departments_scope(user).filter(pk=cert.department_id).exists()


def is_case_clerk(user, cert: Certificate) -> bool:
    """Staff handling a case that fetched this certificate as a material may view it."""
    from yiwang.cases.models import CaseMaterial
    from yiwang.cases.policies import cases_for_staff

    if not getattr(user, "is_authenticated", False):
        return False
    case_ids = CaseMaterial.objects.filter(reference=cert.identifier, status=CaseMaterial.Status.AUTO).values("case_id")
    return cases_for_staff(user).filter(pk__in=case_ids).exists()


def may_view_document(user, cert: Certificate) -> bool:
    return is_holder(user, cert) or is_issuer_staff(user, cert) or is_case_clerk(user, cert)
