"""Data-sharing API for stewards and the people concerned: a catalogue entry (any signed-in
user), its editing by the provider's steward and publishing a new one; 有条件 requests, decisions
and revocation; 数据纠错 (raise, list, resolve). Scoping and permissions come from ``stewardship`` and the
services; handlers only translate between JSON and them."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import StrictFloat

from yiwang.accounts.apiauth import api_auth
from yiwang.core.api import ApiError, Forbidden, NotFound, paginate
from yiwang.core.text import lookup_code, strip_control
from yiwang.org.models import Department
from yiwang.sharing import grants, objections, queries, services_catalogue, stewardship
from yiwang.sharing.api import router as catalogue_router
from yiwang.sharing.models import Grant, ObjectionStatus, Resource

router = Router(tags=["sharing"])
T = TypeVar("T", bound=Model)


# --- the catalogue -----------------------------------------------------------------------------


def _resource(user, code: str) -> Resource:
    code = lookup_code(code)
    resource = Resource.objects.select_related("provider").filter(code=code).first() if code else None
    if resource is None or (not resource.active and not stewardship.may_edit(user, resource)):
        raise NotFound("not_found", _("共享资源不存在。"))
    return resource


def _named(rows: QuerySet[T], code: str) -> T | None:
    """The row with this code from a request body, or None (also for a code no row can have)."""
    code = lookup_code(code)
    return rows.filter(code=code).first() if code else None


def _resource_body(r: Resource, user) -> dict[str, Any]:
    """Anyone sees where the data comes from (``backing``); only the provider's steward sees the
    endpoint settings. There is no token to show: only the name of the variable holding it."""
    may_edit = stewardship.may_edit(user, r)
    body = queries.resource_dict(r)
    body.update({"provider_code": r.provider.code, "open_type_label": r.get_open_type_display(),
                 "subject_kind": r.subject_kind, "active": r.active, "may_edit": may_edit,
                 "backing": r.backing, "backing_label": r.get_backing_display()})
    if may_edit:
        body.update({"endpoint_url": r.endpoint_url, "endpoint_timeout": r.endpoint_timeout,
                     "endpoint_token_env": r.endpoint_token_env})
    return body


@router.get("/sharing/resources/{code}", auth=api_auth, summary="共享资源目录条目（元数据，不含数据）")
def resource_detail(request, code: str):
    return _resource_body(_resource(request.auth, code), request.auth)


class ResourceIn(Schema):
    summary: str | None = None
    legal_basis: str | None = None
    share_type: str | None = None
    open_type: str | None = None
    update_cycle: str | None = None
    format: str | None = None
    version: str | None = None
    items: list[dict[str, Any]] | None = None
    backing: str | None = None
    endpoint_url: str | None = None
    endpoint_timeout: StrictFloat | str | None = None  # seconds; JSON true is not a number of seconds
    endpoint_token_env: str | None = None


@router.put("/sharing/resources/{code}", auth=api_auth, summary="修改共享资源目录（提供部门数据管理员；版本自动升级）")
def resource_update(request, code: str, payload: ResourceIn):
    resource = _resource(request.auth, code)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return _resource_body(services_catalogue.update_resource(request.auth, resource, changes), request.auth)


class NewResourceIn(ResourceIn):
    provider: str | None = None  # department code; may be left out by the steward of one department
    code: str | None = None
    name: str | None = None
    subject_kind: str | None = None


def _provider_for(user, code: str | None) -> Department:
    """The department named in the body, or the user's only one. Whether the user may publish
    for it is the service's question (403 for a department they are not the steward of)."""
    if code:
        department = _named(Department.objects.all(), code)
        if department is None:
            raise ApiError("validation_error", _("请检查填写的内容。"), {"provider": _("部门不存在。")})
        return department
    mine = list(stewardship.steward_departments(user))
    if len(mine) != 1:
        raise ApiError("validation_error", _("请检查填写的内容。"), {"provider": _("请指明提供部门。")})
    return mine[0]


# Registered on the catalogue's router (sharing.api), which serves GET on the same path: Django
# resolves a path to the first router's view only, so a POST on a second router would get a 405.
@catalogue_router.post("/sharing/resources", auth=api_auth, response={201: dict},
                       summary="发布共享资源（提供部门数据管理员；资源代码唯一，重复时 409）")
def resource_create(request, payload: NewResourceIn):
    user = request.auth
    if not stewardship.is_steward(user):
        raise Forbidden("forbidden", _("只有提供部门的数据管理员可以发布共享资源。"))
    fields = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None and k != "provider"}
    resource = services_catalogue.create_resource(user, _provider_for(user, payload.provider), fields)
    return Status(201, _resource_body(resource, user))


# --- grants ------------------------------------------------------------------------------------


def _grants_user(user) -> None:
    if not stewardship.may_use_grants(user):
        raise Forbidden("forbidden", _("只有数据管理员（或部门管理员）可以使用共享申请。"))


def _visible_grant(user, grant_id: int) -> Grant:
    _grants_user(user)
    grant = stewardship.grant_for(user, grant_id)
    if grant is None:
        raise NotFound("not_found", _("共享申请不存在。"))
    return grant


@router.get("/sharing/grants", auth=api_auth, summary="共享申请（本人所在部门收到的与提出的）")
def grant_list(request, role: str = "", status: str = "", page: int = 1, page_size: int = 20):
    _grants_user(request.auth)
    scopes = {"": stewardship.visible_grants, "provider": stewardship.requests_to_me,
              "consumer": stewardship.requests_of_mine}
    if role not in scopes:
        raise ApiError("validation_error", _("请检查填写的内容。"), {"role": _("取值应为 provider 或 consumer。")})
    rows = scopes[role](request.auth)
    if status:
        if status not in Grant.Status.values:
            raise ApiError("validation_error", _("请检查填写的内容。"),
                           {"status": _("取值应为：%(v)s。") % {"v": "、".join(Grant.Status.values)}})
        rows = rows.filter(status=status)
    return paginate(rows, page, page_size, stewardship.grant_dict)


class GrantIn(Schema):
    resource: str = ""
    items: list[str] = []
    purpose: str = ""
    legal_basis: str = ""
    days: int | str | None = None
    consumer: str = ""


@router.post("/sharing/grants", auth=api_auth, summary="申请使用有条件共享资源")
def grant_request(request, payload: GrantIn):
    _grants_user(request.auth)
    resource = _named(Resource.objects.select_related("provider").filter(active=True), payload.resource)
    if resource is None:
        raise ApiError("validation_error", _("请检查填写的内容。"), {"resource": _("共享资源不存在。")})
    mine = list(stewardship.requester_departments(request.auth))
    if payload.consumer:
        consumer = _named(Department.objects.all(), payload.consumer)
        if consumer is None:
            raise ApiError("validation_error", _("请检查填写的内容。"), {"consumer": _("部门不存在。")})
    elif len(mine) == 1:
        consumer = mine[0]
    else:
        raise ApiError("validation_error", _("请检查填写的内容。"), {"consumer": _("请指明申请部门。")})
    grant = grants.request(request.auth, consumer, resource, items=payload.items,
                           purpose=strip_control(payload.purpose), legal_basis=strip_control(payload.legal_basis),
                           days=payload.days)
    return stewardship.grant_dict(grant)


class NoteIn(Schema):
    note: str = ""


@router.post("/sharing/grants/{grant_id}/approve", auth=api_auth, summary="批准共享申请（提供部门数据管理员）")
def grant_approve(request, grant_id: int, payload: NoteIn):
    grant = _visible_grant(request.auth, grant_id)
    return stewardship.grant_dict(grants.approve(request.auth, grant, strip_control(payload.note)))


@router.post("/sharing/grants/{grant_id}/refuse", auth=api_auth, summary="不予批准（须写明理由）")
def grant_refuse(request, grant_id: int, payload: NoteIn):
    grant = _visible_grant(request.auth, grant_id)
    return stewardship.grant_dict(grants.refuse(request.auth, grant, strip_control(payload.note)))


@router.post("/sharing/grants/{grant_id}/revoke", auth=api_auth, summary="撤销已批准的共享授权（须写明理由）")
def grant_revoke(request, grant_id: int, payload: NoteIn):
    grant = _visible_grant(request.auth, grant_id)
    return stewardship.grant_dict(grants.revoke(request.auth, grant, payload.note))


# --- objections --------------------------------------------------------------------------------


@router.get("/sharing/objections", auth=api_auth, summary="数据纠错：我提出的（mine）或待本部门处理的（to_handle）")
def objection_list(request, scope: str = "mine", status: str = "", page: int = 1, page_size: int = 20):
    user = request.auth
    if scope == "mine":
        rows = stewardship.objections_raised(user)
    elif scope == "to_handle":
        if not stewardship.is_steward(user):
            raise Forbidden("forbidden", _("只有数据管理员可以处理数据纠错。"))
        rows = stewardship.objections_to_handle(user)
    else:
        raise ApiError("validation_error", _("请检查填写的内容。"), {"scope": _("取值应为 mine 或 to_handle。")})
    if status:
        if status not in ObjectionStatus.values:
            raise ApiError("validation_error", _("请检查填写的内容。"),
                           {"status": _("取值应为：%(v)s。") % {"v": "、".join(ObjectionStatus.values)}})
        rows = rows.filter(status=status)
    return paginate(rows, page, page_size, lambda o: stewardship.objection_dict(o, user))


class ObjectionIn(Schema):
    resource: str = ""
    item: str = ""
    subject: str = ""
    reason: str = ""
    proposed_value: str = ""
    case_number: str = ""
    department: str = ""


@router.post("/sharing/objections", auth=api_auth, summary="提出数据纠错（本人数据，或以使用部门名义）")
def objection_raise(request, payload: ObjectionIn):
    user = request.auth
    resource = _named(Resource.objects.select_related("provider"), payload.resource)
    if resource is None:
        raise ApiError("validation_error", _("请检查填写的内容。"), {"resource": _("共享资源不存在。")})
    department = None
    if payload.department:
        department = _named(Department.objects.all(), payload.department)
        if department is None:
            raise ApiError("validation_error", _("请检查填写的内容。"), {"department": _("部门不存在。")})
    subject = payload.subject
    if not subject and department is None:
        own = stewardship.own_subjects(user, resource)
        subject = own[0][0] if len(own) == 1 else ""
    o = objections.raise_objection(user, resource, subject, payload.item, reason=payload.reason,
                                   proposed_value=payload.proposed_value, case_number=payload.case_number,
                                   department=department)
    return stewardship.objection_dict(o, user)


def _visible_objection(user, objection_id: int):
    o = stewardship.objection_for(user, objection_id)
    if o is None:
        raise NotFound("not_found", _("数据纠错不存在。"))
    return o


@router.get("/sharing/objections/{objection_id}", auth=api_auth, summary="一件数据纠错")
def objection_detail(request, objection_id: int):
    return stewardship.objection_dict(_visible_objection(request.auth, objection_id), request.auth)


class ResolveIn(Schema):
    outcome: str = ""
    note: str = ""
    value: str | None = None


@router.post("/sharing/objections/{objection_id}/resolve", auth=api_auth,
             summary="处理数据纠错：corrected（更正，托管数据同时更新）或 explained（说明）")
def objection_resolve(request, objection_id: int, payload: ResolveIn):
    o = _visible_objection(request.auth, objection_id)
    o = objections.resolve(request.auth, o, outcome=payload.outcome, note=payload.note, value=payload.value)
    return stewardship.objection_dict(o, request.auth)
