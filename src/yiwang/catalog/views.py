"""Catalogue pages: the item listing with filters (事项目录), the guide (办事指南), 一件事 bundles,
themes and life events. Server-rendered, GET only, usable without JavaScript."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yiwang.catalog import queries
from yiwang.catalog.models.taxonomy import Audience

PAGE_SIZE = 20


def _option_labels(options) -> list[str]:
    labels = []
    for option in options or []:
        if hasattr(option, "label"):
            labels.append(str(option.label or option.value))
        elif isinstance(option, dict):
            labels.append(str(option.get("label") or option.get("value") or ""))
        elif isinstance(option, list | tuple) and option:
            labels.append(str(option[-1]))
        else:
            labels.append(str(option))
    return [x for x in labels if x]


def _condition_text(condition, siblings: dict) -> str:
    """A field's display condition in words: 当“婚姻状况”为“已婚”时填写."""
    if not condition:
        return ""
    name = getattr(condition, "field", None)
    if name is None:
        return _("满足条件时填写")
    value = condition.equals
    sibling = siblings.get(name)
    if sibling is not None and hasattr(sibling, "option_label") and sibling.options:
        value = sibling.option_label(value)
    elif isinstance(value, bool):
        value = _("是") if value else _("否")
    label = str(sibling.label) if sibling is not None else name
    return _("当“%(field)s”为“%(value)s”时填写") % {"field": label, "value": value}


def field_rows(specs, owners: dict[str, list[str]] | None = None) -> list[dict]:
    """FieldSpecs with their kind in words, options, condition and (bundles) the items asking them."""
    siblings = {s.name: s for s in specs}
    rows = []
    for spec in specs:
        rows.append({
            "spec": spec,
            "label": str(spec.label or spec.name),
            "kind_label": str(getattr(spec, "kind_label", "") or spec.kind),
            "required": bool(spec.required),
            "help": spec.help or "",
            "options": _option_labels(spec.options),
            "condition": _condition_text(spec.condition, siblings),
            "children": field_rows(list(spec.children or [])),
            "owners": (owners or {}).get(spec.name, []),
        })
    return rows


def _page_url(request, number: int) -> str:
    params = request.GET.copy()
    params["page"] = str(number)
    return f"?{params.urlencode()}"


def _page_window(current: int, last: int, width: int = 2) -> list[int | None]:
    """Page numbers to show: first, last and ``width`` around the current page; None = a gap."""
    shown = sorted({1, last, *range(max(1, current - width), min(last, current + width) + 1)})
    window: list[int | None] = []
    for n in shown:
        if window and n - (window[-1] or 0) > 1:
            window.append(None)
        window.append(n)
    return window


def paged(request, qs, page_size: int) -> tuple[list, int, dict | None]:
    """One page of ``qs`` (Django's paginator: a bad or too-large page number shows the nearest
    page), its total and the pager links — what every list page needs."""
    from django.core.paginator import Paginator

    page = Paginator(qs, page_size).get_page(request.GET.get("page"))
    total = page.paginator.count
    return list(page.object_list), total, pagination(request, total, page.number, page_size)


def pagination(request, total: int, page: int, page_size: int) -> dict | None:
    last = max(1, -(-total // page_size))
    if last <= 1:
        return None
    return {
        "page": page,
        "last": last,
        "previous": _page_url(request, page - 1) if page > 1 else None,
        "next": _page_url(request, page + 1) if page < last else None,
        "pages": [{"number": n, "url": _page_url(request, n) if n else None} for n in _page_window(page, last)],
    }


def listing_context(request) -> dict:
    """What the listing shows for the request's ``q``, filters and page (also used by /search/)."""
    q = queries.clean_query(request.GET.get("q", ""))
    clean, errors = queries.parse_filters(request.GET)
    specs = queries.filter_specs()
    for spec in specs:
        if spec.name in clean:
            value = clean[spec.name]
            spec.value = ("yes" if value else "no") if spec.name == "charges" else value
        spec.error = errors.get(spec.name, "")
    page, _size = queries.clamp_page(request.GET.get("page"), PAGE_SIZE)
    result = queries.find_items(q, clean, page, PAGE_SIZE)
    if not result["items"] and result["total"] and page > 1:  # past the end: show the last page
        page = max(1, -(-result["total"] // PAGE_SIZE))
        result = queries.find_items(q, clean, page, PAGE_SIZE)
    return {
        "search_query": q,
        "filters": specs,
        "active_filters": [s for s in specs if s.value],
        "filter_errors": errors,
        "result": result,
        "pagination": pagination(request, result["total"], result["page"], PAGE_SIZE),
        "first_number": (result["page"] - 1) * PAGE_SIZE + 1,
    }


@require_GET
def listing(request):
    return render(request, "catalog/list.html", listing_context(request))


@require_GET
def guide(request, code: str):
    data = queries.guide(code)
    if data is None:
        raise Http404(_("没有这个事项，或该事项尚未发布。"))
    theme = data["themes"][0] if data["themes"] else None
    return render(request, "catalog/guide.html", {
        "item": data,
        "fields": field_rows(queries.form_fields(data)),
        "theme": theme,
        "required_count": sum(1 for m in data["materials"] if m["required"]),
    })


@require_GET
def bundle_index(request):
    groups = [
        {"audience": Audience.PERSONAL, "label": Audience.PERSONAL.label,
         "bundles": [queries.bundle_summary(b) for b in queries.bundles(Audience.PERSONAL)]},
        {"audience": Audience.ENTERPRISE, "label": Audience.ENTERPRISE.label,
         "bundles": [queries.bundle_summary(b) for b in queries.bundles(Audience.ENTERPRISE)]},
    ]
    return render(request, "catalog/bundles.html", {"groups": [g for g in groups if g["bundles"]]})


@require_GET
def bundle(request, code: str):
    data = queries.bundle_detail(code)
    if data is None:
        raise Http404(_("没有这个一件事。"))
    names = {i["code"]: i["name"] for i in data["items"]}
    owners = {k: [names.get(o["item_code"], o["item_code"]) for o in v] for k, v in data["field_owners"].items()}
    fields = field_rows(queries.form_fields({"form_schema": data["form_schema"], "form_ui": data["form_ui"]}), owners)
    return render(request, "catalog/bundle.html", {
        "bundle": data,
        "fields": fields,
        "shared_field_count": sum(1 for f in fields if len(f["owners"]) > 1),
    })


@require_GET
def theme(request, code: str):
    data = queries.theme_detail(code)
    if data is None:
        raise Http404(_("没有这个主题。"))
    return render(request, "catalog/theme.html", {"theme": data, "items": queries.theme_items(code)})


@require_GET
def life_event(request, code: str):
    data = queries.life_event_detail(code)
    if data is None:
        raise Http404(_("没有这个事件。"))
    return render(request, "catalog/life_event.html", {"event": data})
