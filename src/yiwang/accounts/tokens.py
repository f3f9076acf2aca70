"""Bearer tokens for API clients: random keys, stored as SHA-256, expiring and revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone

from yiwang.accounts.models import ApiToken, User

TOKEN_PREFIX = "yw_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(user: User, ttl_seconds: int | None = None) -> tuple[str, ApiToken]:
    """Create a token; the plain key is returned once and never stored."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ttl = ttl_seconds or settings.YIWANG_TOKEN_TTL_SECONDS
    token = ApiToken.objects.create(
        user=user, key_hash=hash_key(key), prefix=key[:10], expires_at=timezone.now() + dt.timedelta(seconds=ttl)
    )
    return key, token


def user_for_key(key: str) -> User | None:
    """The active user behind a bearer key, or None when unknown, expired or revoked."""
    if not key or not key.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active or token.user.closed_at:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_key(user: User, key: str) -> bool:
    """Revoke the presented token (a session caller has none to revoke)."""
    return bool(
        ApiToken.objects.filter(user=user, key_hash=hash_key(key), revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )
