"""Counting requests per key in the shared cache, for limits the API throttles do not cover
(password reset, sign-up). While Redis is away the counts are per process (config.cache)."""

import hashlib

from django.core.cache import cache


class RateLimited(Exception):
    pass


def count_and_check(scope: str, ident: str, *, limit: int, period: int) -> None:
    """Count one request for `ident` in `scope`; raise RateLimited beyond `limit` a `period`
    (seconds, from the first request counted)."""
    # Hashed: e-mail addresses and client addresses do not belong in cache keys.
    key = f"ratelimit:{scope}:{hashlib.sha256(ident.encode()).hexdigest()}"
    cache.add(key, 0, period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period)
        count = 1
    if count > limit:
        raise RateLimited(scope)
