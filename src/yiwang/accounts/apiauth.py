"""API authentication: the browser session (with CSRF) or a bearer token."""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from yiwang.accounts.tokens import user_for_key


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_key(token)
        if user is None:
            return None
        request.user = user
        return user


class ActiveSession(SessionAuth):
    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is None or getattr(user, "closed_at", None):
            return None
        return user


api_auth = [BearerToken(), ActiveSession()]
