"""Who may see and act on a case: the applicant (and their proxy agent), staff of the departments
the case is with (accepting unit, lead and joint departments), supervisors of the region."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.accounts.policies import departments_scope, holds, staff_roles
from yiwang.accounts.roles import Role
from yiwang.cases.models import Case

CASE_STAFF_ROLES = {Role.WINDOW_CLERK, Role.UNDERTAKER, Role.REVIEWER, Role.APPROVER, Role.SUPERVISOR,
                    Role.LEADER, Role.DEPT_ADMIN}


def is_party(user, case: Case) -> bool:
    """The applicant, the proxy agent who applied for them, or the window clerk who registered a
    walk-in case (who fills it in at the counter and prints its receipt)."""
    return getattr(user, "is_authenticated", False) and user.pk in (
        case.applicant_id, case.proxy_agent_id, case.registered_by_id)


def is_case_staff(user) -> bool:
    return any(r.role in CASE_STAFF_ROLES for r in staff_roles(user))


def can_view(user, case: Case) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if is_party(user, case):
        return True
    if not is_case_staff(user):
        return False
    return cases_for_staff(user).filter(pk=case.pk).exists()


def cases_for_applicant(user) -> QuerySet[Case]:
    return Case.objects.filter(Q(applicant=user) | Q(proxy_agent=user))


def cases_for_staff(user) -> QuerySet[Case]:
    """Cases with a department in the user's scope (own department, or under a region role)."""
    if not is_case_staff(user):
        return Case.objects.none()
    depts = departments_scope(user)
    return Case.objects.filter(
        Q(department__in=depts) | Q(accepting_department__in=depts) | Q(work_items__department__in=depts)
    ).distinct()


def can_register_walk_in(user, department) -> bool:
    return holds(user, Role.WINDOW_CLERK, department)
