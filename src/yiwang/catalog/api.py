"""Public catalogue API (issue 4 "API"): items with search and filters, the full guide, suggestions,
一件事 bundles, themes, life events and the catalogue KPIs. Everything is public (``auth=None``)
and shows only published versions. Handlers parse, call ``queries`` and shape the answer."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router

from yiwang.catalog import kpis, queries
from yiwang.core.api import ApiError, NotFound, paginate
from yiwang.org.models import Department, Region

router = Router(tags=["catalog"])


def _bad_filters(errors: dict[str, str]) -> ApiError:
    return ApiError("validation_error", _("提交的内容有误，请检查标注的字段。"), errors)


@router.get("/items", auth=None, summary="事项列表（搜索与筛选）")
def list_items(
    request,
    q: str = "",
    audience: str = "",
    department: str = "",
    theme: str = "",
    item_type: str = "",
    case_type: str = "",
    online: str = "",
    tongban: str = "",
    charges: str = "",
    page: int = 1,
    page_size: int = 20,
):
    """``q`` is searched (segmented Chinese, pinyin, synonyms; cut to 100 characters); without
    ``q`` the filtered listing comes by popularity. Filter values are the national codes."""
    clean, errors = queries.parse_filters({
        "audience": audience, "department": department, "theme": theme, "item_type": item_type,
        "case_type": case_type, "online": online, "tongban": tongban, "charges": charges,
    })
    if errors:
        raise _bad_filters(errors)
    return queries.find_items(q, clean, page, page_size)


@router.get("/items/{code}", auth=None, summary="办事指南（事项全部要素、材料、表单）")
def get_item(request, code: str):
    data = queries.guide(code)
    if data is None:
        raise NotFound("not_found", _("没有这个事项，或该事项尚未发布。"))
    return data


@router.get("/suggest", auth=None, url_name="catalog_suggest", summary="搜索联想")
def suggest(request, q: str = "", limit: int = 8):
    return {"q": queries.clean_query(q), "items": queries.suggestions(q, limit=min(max(limit, 1), 20))}


@router.get("/bundles", auth=None, summary="一件事列表")
def list_bundles(request, audience: str = "", page: int = 1, page_size: int = 20):
    if audience and audience not in ("personal", "enterprise"):
        raise _bad_filters({"audience": _("服务类别须为 personal（个人）或 enterprise（法人）。")})
    page, page_size = queries.clamp_page(page, page_size)
    return paginate(queries.bundles(audience or None), page, page_size, queries.bundle_summary)


@router.get("/bundles/{code}", auth=None, summary="一件事详情（事项、合并后的材料清单与表单、总时限）")
def get_bundle(request, code: str):
    data = queries.bundle_detail(code)
    if data is None:
        raise NotFound("not_found", _("没有这个一件事。"))
    return data


@router.get("/themes", auth=None, summary="服务主题（含事项数）")
def list_themes(request, audience: str = "", page: int = 1, page_size: int = 100):
    if audience and audience not in ("personal", "enterprise"):
        raise _bad_filters({"audience": _("服务类别须为 personal（个人）或 enterprise（法人）。")})
    page, page_size = queries.clamp_page(page, page_size)
    return paginate(queries.themes_with_counts(audience or None), page, page_size, lambda t: t)


@router.get("/life-events", auth=None, summary="人生事件与企业生命周期")
def list_life_events(request, audience: str = "", page: int = 1, page_size: int = 100):
    if audience and audience not in ("personal", "enterprise"):
        raise _bad_filters({"audience": _("服务类别须为 personal（个人）或 enterprise（法人）。")})
    page, page_size = queries.clamp_page(page, page_size)
    return paginate(queries.life_events(audience or None), page, page_size, lambda e: e)


@router.get("/kpis", auth=None, summary="事项指标（网上可办率、全程网办率、即办件占比……）")
def get_kpis(request, department: str = "", region: str = ""):
    """DESIGN §7 over the published items of a department and/or a region (and all below it)."""
    errors = {}
    department = department.strip()
    region = region.strip()
    if department and not Department.objects.filter(code=department).exists():
        errors["department"] = _("没有这个部门代码。")
    if region and not Region.objects.filter(code=region).exists():
        errors["region"] = _("没有这个区划代码。")
    if errors:
        raise _bad_filters(errors)
    result = kpis.catalogue_kpis(department=department or None, region=region or None)
    result["scope"] = {"department": department or None, "region": region or None}
    return result
