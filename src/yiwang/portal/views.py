"""Portal pages: home, 个人服务 / 法人服务 / 主题 / 部门, search, and the elder-mode switch."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yiwang.org import queries as org_queries
from yiwang.portal.middleware import ELDER_COOKIE
from yiwang.portal.themes import ENTERPRISE_THEMES, PERSONAL_THEMES, search_themes

ELDER_COOKIE_MAX_AGE = 365 * 24 * 3600
SEARCH_MAX_LENGTH = 100


@require_GET
def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "department_count": org_queries.department_count(),
            "personal_themes": PERSONAL_THEMES,
            "enterprise_themes": ENTERPRISE_THEMES,
        },
    )


@require_GET
def personal(request):
    return render(request, "portal/personal.html", {"themes": PERSONAL_THEMES})


@require_GET
def enterprise(request):
    return render(request, "portal/enterprise.html", {"themes": ENTERPRISE_THEMES})


@require_GET
def themes(request):
    return render(
        request,
        "portal/themes.html",
        {"personal_themes": PERSONAL_THEMES, "enterprise_themes": ENTERPRISE_THEMES},
    )


@require_GET
def departments(request):
    groups = org_queries.departments_for_listing()
    total = sum(len(g.departments) for g in groups)
    return render(request, "portal/departments.html", {"groups": groups, "total": total})


@require_GET
def search(request):
    query = " ".join(request.GET.get("q", "").split())[:SEARCH_MAX_LENGTH]
    found_departments = org_queries.search_departments(query) if query else []
    found_themes = search_themes(query) if query else []
    return render(
        request,
        "portal/search.html",
        {"search_query": query, "departments": found_departments, "themes": found_themes},
    )


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
