from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """Liveness and database check for load balancers."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": connection.vendor, "version": settings.YIWANG_VERSION}, status=503)
    vendor = "postgresql" if connection.vendor == "postgresql" else connection.vendor
    return JsonResponse({"status": "ok", "database": vendor, "version": settings.YIWANG_VERSION})
