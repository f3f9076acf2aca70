"""Display preferences: elder mode (适老化) remembered in a cookie, and Chinese by default.

Must come after ``LocaleMiddleware``."""

from django.conf import settings
from django.utils import translation

ELDER_COOKIE = "yiwang_elder"


class DisplayPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.elder_mode = request.COOKIES.get(ELDER_COOKIE) == "1"
        # The portal is Chinese first: a browser's Accept-Language does not switch it to English;
        # only the language switch (Django's set_language cookie) does.
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not (chosen and translation.check_for_language(chosen)):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
