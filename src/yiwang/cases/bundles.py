"""一件事 (bundles): one merged form and material list → a parent case, and at submission one child
case per item routed to its own department. The parent's status follows its children; it
completes when every child has finished."""

from __future__ import annotations

from collections import deque
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import Enterprise, User
from yiwang.cases import sources
from yiwang.cases.models import Case, CaseMaterial, TimelineEntry
from yiwang.cases.status import TRANSITIONS, CaseStatus, ResultCode
from yiwang.catalog.models import Bundle, ServiceItem, VersionStatus
from yiwang.core import audit
from yiwang.core.api import ApiError, NotFound
from yiwang.core.events import emit

# A parent never passes through these on its way to where its children are.
_NOT_ON_PATH = {CaseStatus.WITHDRAWN, CaseStatus.VOIDED, CaseStatus.TRANSFERRED, CaseStatus.REFUSED,
                CaseStatus.CORRECTION_REQUESTED, CaseStatus.SUSPENDED}
_FINISHED = {CaseStatus.COMPLETED, CaseStatus.DELIVERED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN,
             CaseStatus.VOIDED, CaseStatus.TRANSFERRED}
_UNDER_WAY = {CaseStatus.ACCEPTED, CaseStatus.IN_REVIEW, CaseStatus.SUSPENDED, CaseStatus.DECIDED,
              CaseStatus.CORRECTION_REQUESTED} | _FINISHED


def published_bundle(code: str) -> Bundle:
    bundle = Bundle.objects.filter(code=code, published=True).select_related("lead_department").first()
    if bundle is None:
        raise NotFound("unknown_bundle", _("一件事不存在或未发布。"), {"bundle_code": _("请选择已发布的一件事。")})
    return bundle


def member_items(bundle: Bundle) -> list[ServiceItem]:
    items = [m.item for m in bundle.members.select_related("item__current", "item__department", "item__region")
             .order_by("order", "id")]
    usable = [i for i in items if i.current_id and i.current.status == VersionStatus.PUBLISHED]
    if not usable:
        raise ApiError("bundle_empty", _("该一件事暂无可办理的事项。"), status=409)
    return usable


def merged_form(bundle: Bundle) -> tuple[dict, dict, dict[str, list[tuple[str, str]]]]:
    from yiwang.catalog import formschema

    return formschema.merge((i.code, i.current.form_schema or {}, i.current.form_ui or {}, i.current.name)
                            for i in member_items(bundle))


def merged_materials(bundle: Bundle) -> list[Any]:
    """Each material once, however many items ask for it (matched by name): the applicant hands
    over one copy and every child case receives it."""
    seen: dict[str, Any] = {}
    codes: set[str] = set()
    for item in member_items(bundle):
        for m in item.current.materials.all():
            if m.name in seen:
                if m.necessity == "required" and seen[m.name].necessity != "required":
                    seen[m.name] = m
                continue
            if m.code in codes:  # two different materials sharing a code in different items
                m.code = f"{item.code}__{m.code}"[:40]
            codes.add(m.code)
            seen[m.name] = m
    return list(seen.values())


def create_bundle_draft(actor: User, bundle_code: str, form: dict[str, Any] | None = None, *,
                        idempotency_key: str = "", enterprise: Enterprise | None = None) -> tuple[Case, bool]:
    """The parent case of a 一件事, carried by its first (lead) item until submission."""
    from yiwang.cases import applying

    bundle = published_bundle(bundle_code)
    key = (idempotency_key or "").strip()[:100]
    if key:
        existing = Case.objects.filter(applicant=actor, idempotency_key=key, bundle=bundle).first()
        if existing is not None:
            return existing, False
    items = member_items(bundle)
    lead = items[0]
    applying.check_applicant(actor, lead, enterprise)
    # the lead department is the case's from the start: sources read in its name
    return applying.new_case(actor, lead, form, key=key, enterprise=enterprise, applicant=actor,
                             channel="online", bundle=bundle, materials=merged_materials(bundle),
                             department=bundle.lead_department if bundle.lead_department_id else None)


def open_children(actor: User, parent: Case) -> list[Case]:
    """At the parent's submission: one submitted child per item with its share of the form and
    the materials it needs, each waiting at its own accepting unit."""
    from yiwang.cases import applying
    from yiwang.catalog import formschema

    _schema, _ui, owners = merged_form(parent.bundle)
    answers = formschema.split(parent.form_data, owners)
    by_name = {m.name: m for m in parent.materials.all()}
    children = []
    for item in member_items(parent.bundle):
        mine = answers.get(item.code, {})
        child = Case.objects.create(
            item=item, item_version=item.current, applicant=parent.applicant, enterprise=parent.enterprise,
            channel=parent.channel, proxy_agent=parent.proxy_agent, proxy_authorization=parent.proxy_authorization,
            registered_by=parent.registered_by, parent=parent, bundle=parent.bundle, department=item.department,
            accepting_department=applying.accepting_department(item), region=item.region,
            form_data=mine, workflow_template=item.current.process_template,
            delivery_method=parent.delivery_method,
            field_sources={k: v for k, v in (parent.field_sources or {}).items() if k in mine},
        )
        rows = []
        for spec in item.current.materials.all():
            src = by_name.get(spec.name)
            row = CaseMaterial(case=child, material_code=spec.code, name=spec.name,
                               required=applying.must_supply(spec))
            if src is not None:
                for attr in ("status", "file", "original_name", "content_kind", "size", "sha256", "source",
                             "reference", "uploaded_at"):
                    setattr(row, attr, getattr(src, attr))
                if row.status == CaseMaterial.Status.AUTO and not sources.vouches(child, row.source, row.reference):
                    # the lead department's read does not cover this child's department
                    row.status, row.source, row.reference = CaseMaterial.Status.MISSING, "", ""
                    audit.record("case.material_unsourced", obj=child,
                                 summary=f"材料 {row.material_code} 的来源不适用于本部门，改为待补交",
                                 data={"material_code": row.material_code, "source": src.source})
            rows.append(row)
        CaseMaterial.objects.bulk_create(rows)
        applying.enter_submitted(actor, child, query_password=parent.query_password)
        children.append(child)
    return children


def _path(current: str, target: str) -> list[str]:
    """The shortest chain of allowed transitions from ``current`` to ``target``."""
    queue, came = deque([current]), {current: None}
    while queue:
        state = queue.popleft()
        if state == target:
            break
        for nxt in sorted(TRANSITIONS.get(state, ())):
            if nxt not in came and (nxt == target or nxt not in _NOT_ON_PATH):
                came[nxt] = state
                queue.append(nxt)
    if target not in came:
        return []
    chain, state = [], target
    while state != current:
        chain.append(state)
        state = came[state]
    return chain[::-1]


def _target(children: list[Case]) -> str | None:
    states = {c.status for c in children}
    if not states:
        return None
    if states <= _FINISHED:
        if states <= {CaseStatus.WITHDRAWN, CaseStatus.VOIDED}:
            return CaseStatus.WITHDRAWN
        if states <= {CaseStatus.REFUSED, CaseStatus.WITHDRAWN, CaseStatus.VOIDED}:
            return CaseStatus.REFUSED
        if states <= {CaseStatus.DELIVERED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN, CaseStatus.VOIDED,
                      CaseStatus.TRANSFERRED}:
            return CaseStatus.DELIVERED
        return CaseStatus.COMPLETED
    if states & (_UNDER_WAY - {CaseStatus.CORRECTION_REQUESTED}):
        return CaseStatus.IN_REVIEW
    return None


def follow_children(parent_id: int) -> None:
    """Bring the parent to where its children are (called inside the child's transaction, after
    the child row is locked: lock order child → parent everywhere)."""
    from yiwang.cases.handling import _move, in_platform_language

    parent = Case.objects.select_for_update().get(pk=parent_id)
    children = list(Case.objects.filter(parent=parent).only("status", "due_date"))
    target = _target(children)
    if target is None or target == parent.status:
        return
    steps = _path(parent.status, target)
    if not steps:
        return
    for state in steps:
        if state == CaseStatus.COMPLETED:
            parent.result_code, parent.completed_at = ResultCode.DONE, timezone.now()
        if state == CaseStatus.DELIVERED:
            parent.delivered_at = timezone.now()
        _move(parent, state, actor=None, step=in_platform_language("一件事：%(s)s", s=CaseStatus(state).label),
              action=TimelineEntry.Action.PASS)
        if state in (CaseStatus.COMPLETED, CaseStatus.DELIVERED, CaseStatus.WITHDRAWN, CaseStatus.REFUSED):
            emit(f"case.{state}", {"case_id": parent.pk, "number": parent.number, "result_code": parent.result_code})
    dues = [c.due_date for c in children if c.due_date]
    parent.due_date = max(dues) if dues else parent.due_date
    parent.lock_version += 1
    parent.save()
