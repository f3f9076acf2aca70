"""Portal pages: home, 个人服务 / 法人服务 / 主题 / 部门, search, and the elder-mode switch.

The entry pages show the service catalogue (``catalog.queries``): hot items, themes with their
items, life events, 一件事 bundles and departments; the search page is the catalogue listing
(with its filters) plus matching themes and departments."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yiwang.catalog import queries as catalog
from yiwang.catalog.models.taxonomy import Audience
from yiwang.org import queries as org_queries
from yiwang.portal.middleware import ELDER_COOKIE
from yiwang.portal.themes import ENTERPRISE_THEMES, PERSONAL_THEMES, search_themes

ELDER_COOKIE_MAX_AGE = 365 * 24 * 3600
SEARCH_MAX_LENGTH = 100


def with_standard_themes(themes: list[dict], audience: str) -> list[dict]:
    """The catalogue's themes laid over the standard ones (``portal.themes``): the standard themes
    first, in their order, with their translated label and summary; then any other theme. A
    standard theme without published items links to its card on 个人服务 / 法人服务."""
    standard = PERSONAL_THEMES if audience == Audience.PERSONAL else ENTERPRISE_THEMES
    by_code = {t["code"]: t for t in themes}
    merged = []
    for st in standard:
        row = by_code.pop(st.code, None) or {"code": st.code, "audience": audience, "item_count": 0, "items": []}
        if not row.get("item_count"):  # nothing to list yet: point at the theme's card on its audience page
            row = {**row, "url": f"{reverse(f'portal:{audience}')}#{st.anchor}"}
        merged.append({**row, "name": st.label, "summary": st.summary, "anchor": st.anchor})
    merged += [{**t, "summary": "", "anchor": f"theme-{t['code']}"} for t in by_code.values()]
    return merged


@require_GET
def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "department_count": org_queries.department_count(),
            "personal_themes": with_standard_themes(catalog.themes_with_counts(Audience.PERSONAL), Audience.PERSONAL),
            "enterprise_themes": with_standard_themes(
                catalog.themes_with_counts(Audience.ENTERPRISE), Audience.ENTERPRISE
            ),
            "hot_items": catalog.hot_items(8),
            "item_count": catalog.published_count(),
            "life_events": catalog.life_events(),
            "bundles": [catalog.bundle_summary(b) for b in catalog.bundles()],
            "departments": catalog.departments_with_counts()[:12],
        },
    )


def _audience_page(request, audience: str, template: str):
    return render(
        request,
        template,
        {
            "themes": with_standard_themes(catalog.themes_with_items(audience), audience),
            "life_events": catalog.life_events(audience),
            "bundles": [catalog.bundle_summary(b) for b in catalog.bundles(audience)],
        },
    )


@require_GET
def personal(request):
    return _audience_page(request, Audience.PERSONAL, "portal/personal.html")


@require_GET
def enterprise(request):
    return _audience_page(request, Audience.ENTERPRISE, "portal/enterprise.html")


@require_GET
def themes(request):
    return render(
        request,
        "portal/themes.html",
        {
            "personal_themes": with_standard_themes(catalog.themes_with_counts(Audience.PERSONAL), Audience.PERSONAL),
            "enterprise_themes": with_standard_themes(
                catalog.themes_with_counts(Audience.ENTERPRISE), Audience.ENTERPRISE
            ),
            "personal_events": catalog.life_events(Audience.PERSONAL),
            "enterprise_events": catalog.life_events(Audience.ENTERPRISE),
        },
    )


@require_GET
def departments(request):
    groups = org_queries.departments_for_listing()
    total = sum(len(g.departments) for g in groups)
    return render(request, "portal/departments.html", {"groups": groups, "total": total})


@require_GET
def search(request):
    """The catalogue listing (items ranked by the search, with the filters), plus the themes and
    departments whose names match, on the first page."""
    from yiwang.catalog.views import listing_context

    context = listing_context(request)
    query = context["search_query"][:SEARCH_MAX_LENGTH]
    first_page = context["result"]["page"] == 1
    context["departments"] = org_queries.search_departments(query) if query and first_page else []
    context["themes"] = search_themes(query) if query and first_page else []
    return render(request, "portal/search.html", context)


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("portal:home")


@require_POST
def elder_mode(request):
    """Turn elder mode (适老化: larger text, high contrast, simpler navigation) on or off.

    The form sends the wanted state in ``elder`` ("1" or "0"); without it the current state flips.
    The choice is remembered for a year in a cookie that the display middleware reads."""
    wanted = request.POST.get("elder")
    turn_on = (wanted == "1") if wanted in ("0", "1") else not getattr(request, "elder_mode", False)
    response = redirect(_safe_next(request))
    if turn_on:
        response.set_cookie(
            ELDER_COOKIE,
            "1",
            max_age=ELDER_COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        messages.success(request, _("已开启长者模式：字体更大、对比更强。"))
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
        messages.success(request, _("已退出长者模式。"))
    return response
