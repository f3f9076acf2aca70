"""Pages: the shared-data catalogue (any signed-in user) with the provider steward's editor; the
stewards' 共享申请 screen (requests received and made, with reply dates and overdue flags, a
confirmation before every decision); 数据纠错 for the person concerned and for the provider.

Every write goes through a service (grants, services_catalogue, objections); every list comes
from ``stewardship``, which scopes it to the user's departments.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yiwang.accounts.decorators import identity_required
from yiwang.catalog.views import paged
from yiwang.core.api import ApiError, Conflict
from yiwang.core.text import lookup_code, strip_control
from yiwang.sharing import grants, http_provider, objections, queries, services_catalogue, stewardship
from yiwang.sharing.models import Grant, ObjectionStatus, OpenType, Resource, ShareType

PAGE_SIZE = 20
EXTRA_ITEM_ROWS = 2
NEW_ITEM_ROWS = 5  # blank item rows offered when publishing a new resource


def _forbidden(request, message: str) -> HttpResponse:
    return render(request, "sharing/steward/forbidden.html", {"message": message}, status=403)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ApiError):
        detail = "；".join(str(v) for v in exc.fields.values())
        return f"{exc.message}{('（' + detail + '）') if detail else ''}"
    return str(exc) if exc.args else _("没有权限执行该操作。")


def _errors(exc: ApiError) -> dict[str, str]:
    """Field errors for a template: ``items`` would be read as ``dict.items`` there."""
    fields = {("item_list" if k == "items" else k): v for k, v in exc.fields.items()}
    return {"form": "；".join(filter(None, [exc.message, fields.pop("__all__", "")])), **fields}


def _items_view(resource: Resource) -> list[dict[str, str]]:
    return [{"name": str(i.get("name")), "label": str(i.get("label") or i.get("name")),
             "type": str(services_catalogue.ITEM_TYPES.get(i.get("type"), i.get("type") or "")),
             "sensitivity": str(services_catalogue.SENSITIVITIES.get(i.get("sensitivity"), i.get("sensitivity") or ""))}
            for i in resource.items or []]


# --- the catalogue -----------------------------------------------------------------------------


@login_required
def resource_list(request):
    q = strip_control(request.GET.get("q"))[:100]
    share = request.GET.get("share_type", "")
    share = share if share in ShareType.values else ""
    rows = queries.catalogue()
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(provider__name__icontains=q)
                           | Q(provider__short_name__icontains=q))
    if share:
        rows = rows.filter(share_type=share)
    page, total, pager = paged(request, rows, PAGE_SIZE)
    return render(request, "sharing/catalogue/list.html", {
        "rows": page, "total": total, "pagination": pager, "q": q, "share_type": share,
        "share_types": ShareType.choices, "may_use_grants": stewardship.may_use_grants(request.user),
        "is_steward": stewardship.is_steward(request.user)})


def _resource_for(user, code: str) -> Resource:
    code = lookup_code(code)
    resource = Resource.objects.select_related("provider").filter(code=code).first() if code else None
    if resource is None or (not resource.active and not stewardship.may_edit(user, resource)):
        raise Http404
    return resource


@login_required
def resource_detail(request, code: str):
    resource = _resource_for(request.user, code)
    return render(request, "sharing/catalogue/detail.html", {
        "resource": resource, "items": _items_view(resource), "may_edit": stewardship.may_edit(request.user, resource),
        "may_request": resource.share_type == ShareType.CONDITIONAL
        and stewardship.requester_departments(request.user).exists(),
        "may_object": bool(stewardship.own_subjects(request.user, resource)),
        "endpoint_timeout": f"{resource.endpoint_timeout:g}"})


def _item_rows(resource: Resource, post=None, errors: dict[str, str] | None = None,
               extra: int = EXTRA_ITEM_ROWS) -> list[dict]:
    """Rows of the items editor: from the resource (then ``extra`` blank ones), or as posted
    (with their errors). A new resource is an unsaved one without items."""
    existing = set(resource.item_names())
    if post is None:
        rows = [{"name": str(i.get("name")), "label": str(i.get("label") or ""), "type": str(i.get("type") or "string"),
                 "sensitivity": str(i.get("sensitivity") or "personal"), "delete": False} for i in resource.items or []]
        rows += [{"name": "", "label": "", "type": "string", "sensitivity": "personal", "delete": False}
                 for _n in range(extra)]
    else:
        rows = [{"name": strip_control(post.get(f"items-{i}-name")), "label": strip_control(post.get(f"items-{i}-label")),
                 "type": post.get(f"items-{i}-type", "string"), "sensitivity": post.get(f"items-{i}-sensitivity", ""),
                 "delete": bool(post.get(f"items-{i}-delete"))} for i in range(_row_count(post))]
    kept = [i for i, r in enumerate(rows) if not r["delete"] and (r["name"] or r["label"])]
    for i, row in enumerate(rows):
        row["index"], row["existing"] = i, row["name"] in existing
        pos = kept.index(i) if i in kept else None
        row["errors"] = {f: (errors or {}).get(f"items.{pos}.{f}", "") for f in ("name", "label", "type", "sensitivity")}
    return rows


def _row_count(post) -> int:
    try:
        return max(0, min(int(post.get("items-count") or 0), services_catalogue.MAX_ITEMS + NEW_ITEM_ROWS))
    except ValueError:
        return 0


def _posted_changes(post) -> dict:
    changes = {k: post.get(k, "") for k in ("summary", "legal_basis", "share_type", "open_type", "update_cycle",
                                            "format", "version")}
    # 数据来源: a field the form did not send (an older form still open) leaves the setting as it is
    changes.update({k: post.get(k) for k in services_catalogue.BACKING_FIELDS})
    changes["items"] = [{k: strip_control(post.get(f"items-{i}-{k}")) for k in ("name", "label", "type", "sensitivity")}
                        for i in range(_row_count(post))
                        if not post.get(f"items-{i}-delete")
                        and (strip_control(post.get(f"items-{i}-name")) or strip_control(post.get(f"items-{i}-label")))]
    return changes


def _warn_unused_records(request, before: Resource, after: Resource) -> None:
    """Switched to the department's system: the hosted records stay but no read uses them now."""
    if before.backing != Resource.Backing.HTTP and after.backing == Resource.Backing.HTTP:
        kept = after.records.count()
        if kept:
            messages.warning(request, _("数据来源已改为部门系统接口：平台托管的 %(n)s 条记录仍保留，但不再用于共享读取。")
                             % {"n": kept})


@login_required
def resource_edit(request, code: str):
    resource = _resource_for(request.user, code)
    if not stewardship.may_edit(request.user, resource):
        return _forbidden(request, _("只有提供部门的数据管理员可以修改资源目录。"))
    errors: dict[str, str] = {}
    values = {k: getattr(resource, k) for k in services_catalogue.EDITABLE if k != "items"}
    values["endpoint_timeout"] = f"{resource.endpoint_timeout:g}"
    rows = _item_rows(resource)
    if request.method == "POST":
        changes = _posted_changes(request.POST)
        try:
            updated = services_catalogue.update_resource(request.user, resource, changes)
        except ApiError as exc:
            errors = _errors(exc)
            values = {k: values[k] if changes.get(k) is None else changes[k] for k in values}
            rows = _item_rows(resource, request.POST, exc.fields)
        except PermissionDenied as exc:
            return _forbidden(request, str(exc))
        else:
            if updated.version == resource.version:
                messages.info(request, _("没有需要保存的修改。"))
            else:
                messages.success(request, _("已保存，版本更新为 %(v)s。") % {"v": updated.version})
                _warn_unused_records(request, resource, updated)
            return redirect("sharing:resource_detail", code=resource.code)
    return render(request, "sharing/catalogue/edit.html", {
        "resource": resource, **_form_context(values, rows, errors),
        "token_env_prefix": http_provider.token_env_prefix(resource.provider)}, status=400 if errors else 200)


def _form_context(values: dict, rows: list[dict], errors: dict[str, str]) -> dict:
    """What the shared fields of the edit and new pages (``_resource_fields.html``) need."""
    return {"values": values, "rows": rows, "errors": errors, "row_count": len(rows),
            "share_types": ShareType.choices, "open_types": OpenType.choices, "backings": Resource.Backing.choices,
            "item_types": list(services_catalogue.ITEM_TYPES.items()),
            "sensitivities": list(services_catalogue.SENSITIVITIES.items())}


NEW_DEFAULTS = {"provider": "", "code": "", "name": "", "subject_kind": "", "summary": "", "legal_basis": "",
                "share_type": "", "open_type": OpenType.NONE, "update_cycle": "", "format": "JSON",
                "version": services_catalogue.DEFAULT_VERSION, "backing": Resource.Backing.HOSTED,
                "endpoint_url": "", "endpoint_timeout": "2", "endpoint_token_env": ""}


@login_required
def resource_new(request):
    """发布共享资源: a data steward publishes a new entry for one of their departments."""
    departments = list(stewardship.steward_departments(request.user))
    if not departments:
        return _forbidden(request, _("只有提供部门的数据管理员可以发布共享资源。"))
    values = {**NEW_DEFAULTS, "provider": departments[0].code if len(departments) == 1 else ""}
    errors: dict[str, str] = {}
    draft = Resource()
    rows = _item_rows(draft, extra=NEW_ITEM_ROWS)
    if request.method == "POST":
        fields = {**_posted_changes(request.POST), **{k: request.POST.get(k, "") for k in services_catalogue.IDENTITY}}
        values = {**values, **{k: v for k, v in fields.items() if k != "items" and v is not None},
                  "provider": request.POST.get("provider", "")}
        provider = next((d for d in departments if d.code == values["provider"]), None)
        try:
            if provider is None:  # only the user's own departments are offered
                raise ApiError("validation_error", _("请检查填写的内容。"), {"provider": _("请选择提供部门。")})
            resource = services_catalogue.create_resource(request.user, provider, fields)
        except ApiError as exc:
            errors = _errors(exc)
            rows = _item_rows(draft, request.POST, exc.fields)
        except PermissionDenied as exc:
            return _forbidden(request, str(exc))
        else:
            messages.success(request, _("已发布共享资源“%(n)s”（%(c)s），版本 %(v)s。") % {
                "n": resource.name, "c": resource.code, "v": resource.version})
            return redirect("sharing:resource_detail", code=resource.code)
    chosen = next((d for d in departments if d.code == values["provider"]), None)
    return render(request, "sharing/catalogue/new.html", {
        **_form_context(values, rows, errors), "departments": departments,
        "subject_kinds": Resource.SubjectKind.choices,
        "token_env_prefix": http_provider.token_env_prefix(chosen) if chosen
        else f"{services_catalogue.TOKEN_ENV_PREFIX}{_('<部门代码>')}_"}, status=400 if errors else 200)


# --- grants (有条件共享) ---------------------------------------------------------------------------


def _grant_rows(page, today) -> list[dict]:
    return [{"grant": g, "labels": stewardship.item_labels(g.resource, list(g.items)),
             "overdue": stewardship.is_overdue(g, today)} for g in page]


@login_required
def grants_home(request):
    user = request.user
    if not stewardship.may_use_grants(user):
        return _forbidden(request, _("只有数据管理员（或部门管理员）可以使用共享申请。"))
    steward = stewardship.is_steward(user)
    view = request.GET.get("view") or ("received" if steward else "sent")
    view = view if view in ("received", "sent") and (steward or view == "sent") else "sent"
    status = request.GET.get("status", "")
    status = status if status in Grant.Status.values else ""
    rows = stewardship.requests_to_me(user) if view == "received" else stewardship.requests_of_mine(user)
    if status:
        rows = rows.filter(status=status)
    page, total, pager = paged(request, rows, PAGE_SIZE)
    today = timezone.localdate()
    received = stewardship.requests_to_me(user)
    return render(request, "sharing/steward/grants.html", {
        "view": view, "status": status, "statuses": Grant.Status.choices, "rows": _grant_rows(page, today),
        "total": total, "pagination": pager, "steward": steward,
        "pending": received.filter(status=Grant.Status.REQUESTED).count() if steward else 0,
        "overdue": stewardship.overdue_count(user, today) if steward else 0,
        "open_objections": stewardship.objections_to_handle(user).filter(status=ObjectionStatus.OPEN).count()
        if steward else 0,
        "requestable": stewardship.requestable_resources()})


@login_required
def grant_new(request):
    user = request.user
    departments = list(stewardship.requester_departments(user))
    if not departments:
        return _forbidden(request, _("只有使用部门的数据管理员或部门管理员可以申请共享。"))
    asked = str(request.POST.get("resource") or request.GET.get("resource") or "").strip()
    code = lookup_code(asked)
    resource = stewardship.requestable_resources().filter(code=code).first() if code else None
    errors: dict[str, str] = {}
    posted = {"items": [], "purpose": "", "legal_basis": "", "days": "365", "consumer": departments[0].code}
    if asked and resource is None:
        errors["resource"] = _("请选择有条件共享的资源。")
    if request.method == "POST" and resource is not None:
        posted = {"items": request.POST.getlist("items"), "purpose": strip_control(request.POST.get("purpose")),
                  "legal_basis": strip_control(request.POST.get("legal_basis")),
                  "days": request.POST.get("days", ""), "consumer": request.POST.get("consumer", "")}
        consumer = next((d for d in departments if d.code == posted["consumer"]), None)
        if consumer is None:
            errors["consumer"] = _("请选择申请部门。")
        else:
            try:
                grant = grants.request(user, consumer, resource, items=posted["items"], purpose=posted["purpose"],
                                       legal_basis=posted["legal_basis"], days=posted["days"])
            except ApiError as exc:
                errors = _errors(exc)
            except PermissionDenied as exc:
                return _forbidden(request, str(exc))
            else:
                messages.success(request, _("已提交申请，提供部门应在 %(d)s 前答复。") % {
                    "d": grant.decide_by.strftime("%Y-%m-%d")})
                return redirect(f"{reverse('sharing:grants')}?view=sent")
    return render(request, "sharing/steward/grant_new.html", {
        "resource": resource, "items": _items_view(resource) if resource else [], "posted": posted,
        "errors": errors, "departments": departments, "requestable": stewardship.requestable_resources(),
        "max_days": grants.MAX_GRANT_DAYS, "reply_days": grants.reply_working_days()},
        status=400 if errors else 200)


DECISIONS = {"approve": (gettext_lazy("批准"), Grant.Status.REQUESTED),
             "refuse": (gettext_lazy("不予批准"), Grant.Status.REQUESTED),
             "revoke": (gettext_lazy("撤销授权"), Grant.Status.APPROVED)}


def _grant_page(request, grant: Grant, errors: dict | None = None, posted: dict | None = None):
    may_edit = stewardship.may_edit(request.user, grant.resource)
    may_decide = may_edit and not grants.is_own_request(request.user, grant)
    if may_edit and not may_decide and grant.status == Grant.Status.REQUESTED:
        messages.info(request, _("这是您本人提出的申请，须由提供部门的其他数据管理员审批。"))
    return render(request, "sharing/steward/grant_detail.html", {
        "grant": grant, "labels": stewardship.item_labels(grant.resource, list(grant.items)),
        "overdue": stewardship.is_overdue(grant), "errors": errors or {}, "posted": posted or {},
        "may_decide": may_decide and grant.status == Grant.Status.REQUESTED,
        "may_revoke": may_edit and grant.status == Grant.Status.APPROVED}, status=400 if errors else 200)


@login_required
def grant_detail(request, grant_id: int):
    grant = stewardship.grant_for(request.user, grant_id)
    if grant is None:
        raise Http404
    return _grant_page(request, grant)


@login_required
@require_POST
def grant_decide(request, grant_id: int):
    """Decide (approve / refuse) or revoke: the first POST shows a confirmation, the second acts."""
    grant = stewardship.grant_for(request.user, grant_id)
    if grant is None:
        raise Http404
    if not stewardship.may_edit(request.user, grant.resource):
        return _forbidden(request, _("只有提供部门的数据管理员可以审批共享申请。"))
    action, note = request.POST.get("action", ""), strip_control(request.POST.get("note"))[:300]
    if action in ("approve", "refuse"):
        try:  # before the confirmation step: it would only end in the same refusal
            grants.check_not_own_request(request.user, grant)
        except PermissionDenied as exc:
            return _forbidden(request, str(exc))
    errors = {}
    if action not in DECISIONS or grant.status != DECISIONS[action][1]:
        errors["action"] = _("请选择可执行的操作。")
    elif action != "approve" and not note:
        errors["note"] = _("不予批准或撤销授权须写明理由。")
    if errors:
        return _grant_page(request, grant, errors, {"action": action, "note": note})
    if request.POST.get("confirmed") != "1":
        return render(request, "sharing/steward/grant_confirm.html", {
            "grant": grant, "labels": stewardship.item_labels(grant.resource, list(grant.items)),
            "action": action, "action_label": DECISIONS[action][0], "note": note})
    try:
        if action == "approve":
            grants.approve(request.user, grant, note)
        elif action == "refuse":
            grants.refuse(request.user, grant, note)
        else:
            grants.revoke(request.user, grant, note)
    except Conflict as exc:
        messages.error(request, _error_text(exc))
        return redirect("sharing:grant_detail", grant_id=grant.pk)
    except ApiError as exc:
        return _grant_page(request, grant, exc.fields or {"action": exc.message}, {"action": action, "note": note})
    except PermissionDenied as exc:
        return _forbidden(request, str(exc))
    messages.success(request, _("已%(a)s：%(c)s 申请的 %(r)s。") % {
        "a": DECISIONS[action][0], "c": grant.consumer.name, "r": grant.resource.name})
    return redirect("sharing:grants")


# --- objections (数据纠错) --------------------------------------------------------------------------


@login_required
def objections_mine(request):
    page, total, pager = paged(request, stewardship.objections_raised(request.user), PAGE_SIZE)
    today = timezone.localdate()
    return render(request, "sharing/catalogue/objections.html", {
        "rows": [{"o": o, "d": stewardship.objection_dict(o, request.user, today)} for o in page],
        "total": total, "pagination": pager})


@identity_required("sharing/catalogue/need_identity.html")
def objection_new(request):
    user, data = request.user, request.POST if request.method == "POST" else request.GET
    code = lookup_code(data.get("resource"))
    resource = Resource.objects.select_related("provider").filter(active=True, code=code).first() if code else None
    if resource is None:
        mine = [r for r in queries.catalogue() if stewardship.own_subjects(user, r)]
        return render(request, "sharing/catalogue/objection_new.html", {"resource": None, "choices": mine})
    subjects = stewardship.own_subjects(user, resource)
    subject = data.get("subject") or (subjects[0][0] if subjects else "")
    subject = subject if subject in {s for s, _n in subjects} else (subjects[0][0] if subjects else "")
    item = data.get("item", "")
    item = item if item in resource.item_names() else ""
    record = stewardship.own_record(user, resource, subject) if subject else None
    errors: dict[str, str] = {}
    posted = {"reason": "", "proposed_value": "", "case_number": data.get("case_number", "")}
    if request.method == "POST":
        posted = {k: strip_control(request.POST.get(k)) for k in ("reason", "proposed_value", "case_number")}
        try:
            objections.raise_objection(user, resource, subject, item, **posted)
        except ApiError as exc:
            errors = _errors(exc)
        except PermissionDenied as exc:
            errors = {"form": str(exc)}
        else:
            messages.success(request, _("已提交纠错，%(p)s将在期限内处理并答复您。") % {"p": resource.provider.name})
            return redirect("sharing:objections")
    return render(request, "sharing/catalogue/objection_new.html", {
        "resource": resource, "items": _items_view(resource), "item": item, "subjects": subjects, "subject": subject,
        "has_record": record is not None, "current": None if record is None else record.get(item),
        "errors": errors, "posted": posted, "working_days": objections.working_days()},
        status=400 if errors else 200)


@login_required
def objection_inbox(request):
    if not stewardship.is_steward(request.user):
        return _forbidden(request, _("只有数据管理员可以处理数据纠错。"))
    status = request.GET.get("status", ObjectionStatus.OPEN)
    status = status if status in ObjectionStatus.values or status == "all" else ObjectionStatus.OPEN
    rows = stewardship.objections_to_handle(request.user)
    if status != "all":
        rows = rows.filter(status=status)
    page, total, pager = paged(request, rows, PAGE_SIZE)
    today = timezone.localdate()
    return render(request, "sharing/steward/objections_inbox.html", {
        "rows": [{"o": o, "label": stewardship.item_labels(o.resource, [o.item])[0],
                  "overdue": stewardship.objection_is_overdue(o, today)} for o in page],
        "total": total, "pagination": pager, "status": status, "statuses": ObjectionStatus.choices})


def _objection_page(request, o, errors: dict | None = None, posted: dict | None = None):
    return render(request, "sharing/steward/objection_detail.html", {
        "o": o, "d": stewardship.objection_dict(o, request.user), "errors": errors or {},
        "posted": posted or {"outcome": ObjectionStatus.CORRECTED, "value": o.proposed_value, "note": ""},
        "may_resolve": stewardship.may_edit(request.user, o.resource) and o.status == ObjectionStatus.OPEN,
        "hosted": o.resource.backing == Resource.Backing.HOSTED,
        "outcomes": [(s.value, s.label) for s in objections.OUTCOMES]}, status=400 if errors else 200)


@login_required
def objection_detail(request, objection_id: int):
    o = stewardship.objection_for(request.user, objection_id)
    if o is None:
        raise Http404
    return _objection_page(request, o)


@login_required
@require_POST
def objection_resolve(request, objection_id: int):
    """Resolve with a confirmation step: a correction changes the provider's record."""
    o = stewardship.objection_for(request.user, objection_id)
    if o is None:
        raise Http404
    if not stewardship.may_edit(request.user, o.resource):
        return _forbidden(request, _("只有提供部门的数据管理员可以处理数据纠错。"))
    posted = {k: strip_control(request.POST.get(k)) for k in ("outcome", "value", "note")}
    errors = {}
    if posted["outcome"] not in objections.OUTCOMES:
        errors["outcome"] = _("请选择处理结果。")
    if not posted["note"]:
        errors["note"] = _("请填写处理说明。")
    if errors:
        return _objection_page(request, o, errors, posted)
    if request.POST.get("confirmed") != "1":
        return render(request, "sharing/steward/objection_confirm.html", {
            "o": o, "d": stewardship.objection_dict(o, request.user), "posted": posted,
            "outcome_label": ObjectionStatus(posted["outcome"]).label,
            "hosted": o.resource.backing == Resource.Backing.HOSTED})
    try:
        value = posted["value"] if posted["outcome"] == ObjectionStatus.CORRECTED else None
        objections.resolve(request.user, o, outcome=posted["outcome"], note=posted["note"], value=value)
    except Conflict as exc:
        messages.error(request, _error_text(exc))
        return redirect("sharing:objection_detail", objection_id=o.pk)
    except ApiError as exc:
        return _objection_page(request, o, exc.fields or {"note": exc.message}, posted)
    except PermissionDenied as exc:
        return _forbidden(request, str(exc))
    messages.success(request, _("已处理该纠错：%(s)s。") % {"s": ObjectionStatus(posted["outcome"]).label})
    return redirect("sharing:objection_inbox")
