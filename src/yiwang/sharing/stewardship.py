"""Reads for the data stewards' screens (数据管理员) and the 数据纠错 pages, already scoped by
policy: which departments the user acts for, requests to and from them, overdue flags, objections
to handle, and a person's own hosted data.

Authorisation lives here rather than in the views, so a page or API handler that forgets a check
gets an empty list, not another department's requests.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from yiwang.accounts.models import EnterpriseMembership, VerificationLevel
from yiwang.accounts.policies import departments_scope, holds, staff_roles
from yiwang.accounts.roles import Role
from yiwang.core.crypto import blind_index_candidates
from yiwang.core.masking import mask_id_number
from yiwang.org.models import Department
from yiwang.sharing.grants import REQUESTER_ROLES
from yiwang.sharing.models import Grant, HostedRecord, Objection, ObjectionStatus, Resource, ShareType

# --- who acts for which department ---------------------------------------------------------------


def _departments_with(user, roles: set[str]) -> QuerySet[Department]:
    """Departments for which the user holds one of ``roles`` (directly or through a region role)."""
    ids, q, found = set(), Q(), False
    for r in staff_roles(user):
        if r.role not in roles:
            continue
        found = True
        if r.department_id:
            ids.add(r.department_id)
        elif r.region_id:
            q |= Q(region_id__startswith=r.region.descendant_codes_prefix())
    if not found:
        return Department.objects.none()
    return Department.objects.filter(q | Q(pk__in=ids)).order_by("code")


def steward_departments(user) -> QuerySet[Department]:
    """Departments whose data steward the user is: the provider side (decide, edit, resolve)."""
    return _departments_with(user, {Role.DATA_STEWARD})


def requester_departments(user) -> QuerySet[Department]:
    """Departments the user may request grants for (their data steward or department admin)."""
    return _departments_with(user, set(REQUESTER_ROLES))


def may_use_grants(user) -> bool:
    """The grants screens and API are for data stewards (and department admins, who may request)."""
    return any(holds(user, role) for role in REQUESTER_ROLES)


def is_steward(user) -> bool:
    return holds(user, Role.DATA_STEWARD)


def may_edit(user, resource: Resource) -> bool:
    return holds(user, Role.DATA_STEWARD, resource.provider)


# --- grants --------------------------------------------------------------------------------------


def _grants() -> QuerySet[Grant]:
    return Grant.objects.select_related("resource__provider", "consumer", "requested_by", "decided_by")


def requests_to_me(user) -> QuerySet[Grant]:
    """Requests for resources my department provides (收到的申请), newest first."""
    return _grants().filter(resource__provider__in=steward_departments(user)).order_by("-requested_at", "-id")


def requests_of_mine(user) -> QuerySet[Grant]:
    """Requests my department made as a consumer (本部门的申请), newest first."""
    return _grants().filter(consumer__in=requester_departments(user)).order_by("-requested_at", "-id")


def visible_grants(user) -> QuerySet[Grant]:
    return _grants().filter(Q(resource__provider__in=steward_departments(user))
                            | Q(consumer__in=requester_departments(user))).order_by("-requested_at", "-id")


def grant_for(user, grant_id: int) -> Grant | None:
    """The grant, when the user is its provider's steward or acts for its consumer; else None."""
    return visible_grants(user).filter(pk=grant_id).first()


def is_overdue(grant: Grant, today: dt.date | None = None) -> bool:
    """A request still unanswered after its reply date (答复期限)."""
    return grant.status == Grant.Status.REQUESTED and grant.decide_by < (today or timezone.localdate())


def overdue_count(user, today: dt.date | None = None) -> int:
    return requests_to_me(user).filter(status=Grant.Status.REQUESTED,
                                       decide_by__lt=today or timezone.localdate()).count()


def requestable_resources() -> QuerySet[Resource]:
    """有条件 resources, the only ones a department requests a grant for."""
    return (Resource.objects.filter(active=True, share_type=ShareType.CONDITIONAL)
            .select_related("provider").order_by("code"))


def item_labels(resource: Resource, names: list[str]) -> list[str]:
    labels = {str(i.get("name")): str(i.get("label") or i.get("name")) for i in resource.items or []}
    return [labels.get(n, n) for n in names]


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def grant_dict(g: Grant, today: dt.date | None = None) -> dict[str, Any]:
    return {"id": g.pk, "status": g.status, "status_label": g.get_status_display(),
            "resource": g.resource.code, "resource_name": g.resource.name,
            "provider": g.resource.provider.code, "provider_name": g.resource.provider.name,
            "consumer": g.consumer.code, "consumer_name": g.consumer.name,
            "items": list(g.items), "item_labels": item_labels(g.resource, list(g.items)),
            "purpose": g.purpose, "legal_basis": g.legal_basis, "valid_until": g.valid_until.isoformat(),
            "requested_at": _iso(g.requested_at), "decide_by": g.decide_by.isoformat(),
            "overdue": is_overdue(g, today), "decided_at": _iso(g.decided_at), "decision_note": g.decision_note}


# --- objections (数据纠错) ------------------------------------------------------------------------


def _objections() -> QuerySet[Objection]:
    return Objection.objects.select_related("resource__provider", "raised_for", "raised_by", "resolved_by")


def objections_to_handle(user) -> QuerySet[Objection]:
    """Objections to data my department provides, newest first."""
    return _objections().filter(resource__provider__in=steward_departments(user)).order_by("-created_at", "-id")


def objections_raised(user) -> QuerySet[Objection]:
    """Objections I raised, and those raised for departments I work for, newest first."""
    q = Q(raised_by=user)
    if staff_roles(user):
        q |= Q(raised_for__in=departments_scope(user))
    return _objections().filter(q).order_by("-created_at", "-id")


def objection_for(user, objection_id: int) -> Objection | None:
    return (objections_raised(user).filter(pk=objection_id).first()
            or objections_to_handle(user).filter(pk=objection_id).first())


def objection_is_overdue(o: Objection, today: dt.date | None = None) -> bool:
    return o.status == ObjectionStatus.OPEN and o.due_by < (today or timezone.localdate())


def may_see_values(user, o: Objection) -> bool:
    """The values are personal data: the provider's steward sees them, and so does the person who
    objected to their own data; a consumer department saw them through the (logged) exchange."""
    return holds(user, Role.DATA_STEWARD, o.resource.provider) or (o.raised_for_id is None and o.raised_by_id == user.pk)


def objection_dict(o: Objection, viewer, today: dt.date | None = None) -> dict[str, Any]:
    show = may_see_values(viewer, o)
    return {"id": o.pk, "status": o.status, "status_label": o.get_status_display(),
            "resource": o.resource.code, "resource_name": o.resource.name,
            "provider": o.resource.provider.code, "provider_name": o.resource.provider.name,
            "subject_masked": mask_id_number(o.subject), "item": o.item,
            "item_label": item_labels(o.resource, [o.item])[0],
            "current_value": o.current_value if show else None,
            "proposed_value": o.proposed_value if show or o.raised_by_id == viewer.pk else None,
            "reason": o.reason, "case_number": o.case_number or None,
            "raised_for": o.raised_for.code if o.raised_for else None,
            "raised_for_name": o.raised_for.name if o.raised_for else None,
            "created_at": _iso(o.created_at), "due_by": o.due_by.isoformat(),
            "overdue": objection_is_overdue(o, today), "resolved_at": _iso(o.resolved_at),
            "resolution": o.resolution}


def own_subjects(user, resource: Resource) -> list[tuple[str, str]]:
    """(subject id, label) the person may see and object to in ``resource``: their own id number
    for data about people, the enterprises they legally represent for data about organisations."""
    if getattr(user, "level", 0) < VerificationLevel.IDENTITY:
        return []
    if resource.subject_kind == Resource.SubjectKind.PERSON:
        return [(str(user.id_number).upper(), user.name or "")] if user.id_number else []
    rows = EnterpriseMembership.objects.filter(user=user, revoked_at__isnull=True,
                                               kind=EnterpriseMembership.Kind.LEGAL_REP).select_related("enterprise")
    return [(str(m.enterprise.uscc).upper(), m.enterprise.name) for m in rows if m.enterprise.uscc]


def own_record(user, resource: Resource, subject: str) -> dict[str, Any] | None:
    """The person's own hosted data in ``resource`` (None if absent, not hosted, or not theirs).

    Not an exchange read: no department uses the data, the person looks at what is held about
    them, so it is not written to the access log."""
    subject = str(subject or "").strip().upper()
    if resource.backing != Resource.Backing.HOSTED or subject not in {s for s, _n in own_subjects(user, resource)}:
        return None
    row = HostedRecord.objects.filter(resource=resource,
                                      subject_index__in=blind_index_candidates("subject", subject)).first()
    return None if row is None else json.loads(row.data)
