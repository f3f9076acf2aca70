"""Staff must pass a second factor (TOTP) before using staff pages when 2FA is required."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class StaffTwoFactorMiddleware:
    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/api/", "/i18n/", "/display/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.YIWANG_STAFF_2FA_REQUIRED
            and user is not None
            and user.is_authenticated
            and (user.is_staff or user.staff_roles.exists())
            and not request.user.is_verified()
            and not request.path.startswith(self.EXEMPT_PREFIXES)
        ):
            return redirect(reverse("accounts:otp") + "?next=" + request.path)
        return self.get_response(request)
