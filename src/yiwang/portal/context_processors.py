from django.conf import settings


def site(request):
    return {
        "demo_mode": settings.DEMO_MODE,
        "elder_mode": getattr(request, "elder_mode", False),
        "yiwang_version": settings.YIWANG_VERSION,
    }
