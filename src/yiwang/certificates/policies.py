"""Who may see what of a certificate (enforced in the queries the views use).

Staff see certificates only through a certificate-handling role in the issuing department
(承办、审核、批准、部门管理员) or as staff of a case that fetched the certificate — never through
the 三员 roles, 12345 seats or data stewards a department scope alone would let in."""

from __future__ import annotations

from django.db.models import QuerySet

from yiwang.accounts.policies import staff_roles
from yiwang.accounts.roles import Role
from yiwang.certificates import queries
from yiwang.certificates.models import Certificate

CERTIFICATE_STAFF_ROLES = {Role.UNDERTAKER, Role.REVIEWER, Role.APPROVER, Role.DEPT_ADMIN}


def issuing_department_ids(user) -> set[int]:
    """Departments whose certificates the user handles (these roles are held per department)."""
    return {r.department_id for r in staff_roles(user) if r.role in CERTIFICATE_STAFF_ROLES and r.department_id}


def managed_certificates(user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(department_id__in=issuing_department_ids(user))


def is_holder(user, cert: Certificate) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and queries.held_by(user, cert.pk) is not None


def is_issuer_staff(user, cert: Certificate) -> bool:
    return cert.department_id in issuing_department_ids(user)


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
