"""Display preferences remembered in a cookie: elder mode (适老化)."""

ELDER_COOKIE = "yiwang_elder"


class DisplayPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.elder_mode = request.COOKIES.get(ELDER_COOKIE) == "1"
        return self.get_response(request)
