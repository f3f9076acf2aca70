"""Fixed-window counters in the shared cache (the database cache by default, so every worker
process sees the same counts)."""

from __future__ import annotations

import time

from django.core.cache import cache


def _key(scope: str, ident: str, window: int) -> str:
    return f"rl:{scope}:{ident}:{int(time.time()) // window}"


def hit(scope: str, ident: str, limit: int, window: int) -> bool:
    """Count one event; False when the limit for this window is already reached."""
    key = _key(scope, ident, window)
    if cache.add(key, 1, timeout=window + 5):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        return True
    return count <= limit


def count(scope: str, ident: str, window: int) -> int:
    return int(cache.get(_key(scope, ident, window)) or 0)
