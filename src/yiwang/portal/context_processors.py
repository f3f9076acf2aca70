from django.conf import settings

from yiwang.portal.site_info import site_info


def site(request):
    return {
        "demo_mode": settings.DEMO_MODE,
        "elder_mode": getattr(request, "elder_mode", False),
        "yiwang_version": settings.YIWANG_VERSION,
        "site_info": site_info(),
    }
