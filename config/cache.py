"""A Redis cache that keeps the site serving while Redis is unreachable.

One Redis holds the broker and the cache in the shape docker-compose.yml ships. Django's
RedisCache raises on every call while it is down, and the cache is read on every request
(sessions, API throttles), so an outage of a cache turned the whole site into 500s. This backend
answers from somewhere else instead and says so in the log:

- `FALLBACK: "memory"` (the default alias): this process's memory. API throttles then count per
  process, and cached pages are recomputed per process, until Redis answers again.
- `FALLBACK: "none"`: nothing is cached, every read misses (for data only the shared copy may
  hold). Sessions are not cached at all: they live in the database, which every process shares,
  so a sign-out made anywhere during an outage holds everywhere (a per-process list of keys to
  drop on Redis's return cannot promise that).

After a failure it does not ask Redis again for `RETRY_SECONDS`, so a dead server costs one
refused connection every few seconds per process, not a timeout on every call. When Redis
answers again, before anything is read from it, the keys this process wrote or deleted
meanwhile are deleted there (so Redis's older copy, if it kept its data, does not come back),
and the memory fallback is emptied; one thread recovers while the others keep to the fallback.
"""

import functools
import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# Seconds between attempts while Redis is down.
RETRY_SECONDS = 5.0
# Keys written during one outage that are remembered for invalidation; beyond this the whole
# cache database is cleared on recovery instead (cheaper than remembering without bound).
MAX_DIRTY_KEYS = 10_000


class _Recovering(Exception):
    """Another thread is reconnecting to this server."""


class _Server:
    """What this process knows about one Redis server, shared by its threads and aliases
    (Django makes a cache object per thread)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0  # monotonic; 0 while up
        self.dirty: set[str] = set()
        self.clear_on_return = False
        self.failures = 0  # counts failures, so a recovery can tell it was overtaken
        self.recovering = threading.Lock()


_servers: dict[str, _Server] = {}
_servers_lock = threading.Lock()


def _server(location: str) -> _Server:
    with _servers_lock:
        return _servers.setdefault(location, _Server())


def _fallback_on_outage(write: bool):
    """Run the Redis call; while Redis is unreachable, the fallback's instead."""

    def decorate(method):
        name = method.__name__

        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._usable():
                try:
                    if self._state.down_until:
                        # Back after an outage: drop what changed meanwhile before serving
                        # anything, or this very call could read a stale session.
                        self._recover()
                    return method(self, *args, **kwargs)
                except _Recovering:
                    pass  # another thread is reconnecting: the fallback meanwhile
                except UNREACHABLE as error:
                    self._went_down(error)
            if write:
                self._remember_dirty(name, args, kwargs)
            return getattr(self._fallback, name)(*args, **kwargs)

        return wrapper

    return decorate


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        fallback = options.pop("FALLBACK", "memory")
        # Fail fast: a refused or silent server must not hold a request for seconds, and one
        # attempt is enough (the next call, a few seconds on, tries again).
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        options.setdefault("retry_on_error", [])
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = server if isinstance(server, str) else ",".join(server)
        self._state = _server(self._location)
        self._fallback = (
            LocMemCache(
                f"resilient-redis-{self._location}",
                {
                    **({"TIMEOUT": params["TIMEOUT"]} if "TIMEOUT" in params else {}),
                    # One entry per throttled client and cached page: room for a busy hour.
                    "OPTIONS": {"MAX_ENTRIES": 10_000},
                },
            )
            if fallback == "memory"
            else _NoCache()
        )

    # --- state -------------------------------------------------------------------------------

    def _usable(self) -> bool:
        down_until = self._state.down_until
        return not down_until or time.monotonic() >= down_until

    def _went_down(self, error) -> None:
        state = self._state
        with state.lock:
            first = not state.down_until
            state.down_until = time.monotonic() + RETRY_SECONDS
            state.failures += 1
        if first:
            logger.warning(
                "Redis cache at %s is unreachable (%s): sessions are read from the database, "
                "API throttles count per process and cached pages are recomputed until it "
                "answers again; retrying every %s s",
                self._redacted_location(),
                error,
                RETRY_SECONDS,
            )

    def _recover(self) -> None:
        """Redis may be back: ask it, delete there the keys written here during the outage
        (raises, keeping them, if it is still unreachable), then use it again. One thread at a
        time; the others keep to the fallback meanwhile (UNREACHABLE tells them to)."""
        state = self._state
        if not state.recovering.acquire(blocking=False):
            raise _Recovering
        try:
            with state.lock:
                if not state.down_until:
                    return
                failures = state.failures
                dirty, state.dirty = state.dirty, set()
                clear, state.clear_on_return = state.clear_on_return, False
            try:
                self._cache.get_client(write=True).ping()
                if clear:
                    RedisCache.clear(self)
                elif dirty:
                    self._cache.delete_many(list(dirty))
            except UNREACHABLE:
                with state.lock:
                    state.dirty |= dirty
                    state.clear_on_return |= clear
                raise
            with state.lock:
                if state.failures != failures:  # it went down again meanwhile
                    return
                state.down_until = 0.0
            self._fallback.clear()
        finally:
            state.recovering.release()
        logger.warning(
            "Redis cache at %s answers again; %s",
            self._redacted_location(),
            "cleared it" if clear else f"dropped {len(dirty)} keys written meanwhile",
        )

    def _remember_dirty(self, name: str, args, kwargs) -> None:
        if name == "clear":
            keys = None
        elif name == "set_many":
            keys = list((args[0] if args else kwargs["data"]).keys())
        elif name == "delete_many":
            keys = list(args[0] if args else kwargs["keys"])
        else:
            keys = [args[0] if args else kwargs["key"]]
        version = kwargs.get("version")
        state = self._state
        with state.lock:
            if keys is None or len(state.dirty) + len(keys) > MAX_DIRTY_KEYS:
                state.clear_on_return = True
                state.dirty.clear()
            elif not state.clear_on_return:
                state.dirty.update(self.make_and_validate_key(k, version=version) for k in keys)

    def _redacted_location(self) -> str:
        # redis://:password@host/1 must not reach the log with its password.
        location = self._location
        if "@" in location:
            scheme, _, rest = location.partition("://")
            location = f"{scheme}://***@{rest.rpartition('@')[2]}"
        return location

    def ping(self) -> bool:
        """Whether Redis answers now (for /healthz); does not wait for the retry interval."""
        try:
            self._cache.get_client(write=False).ping()
            if self._state.down_until:
                self._recover()
        except _Recovering:
            return False
        except UNREACHABLE as error:
            self._went_down(error)
            return False
        return True

    # --- the cache API -----------------------------------------------------------------------

    get = _fallback_on_outage(write=False)(RedisCache.get)
    get_many = _fallback_on_outage(write=False)(RedisCache.get_many)
    has_key = _fallback_on_outage(write=False)(RedisCache.has_key)
    add = _fallback_on_outage(write=True)(RedisCache.add)
    set = _fallback_on_outage(write=True)(RedisCache.set)
    set_many = _fallback_on_outage(write=True)(RedisCache.set_many)
    touch = _fallback_on_outage(write=True)(RedisCache.touch)
    delete = _fallback_on_outage(write=True)(RedisCache.delete)
    delete_many = _fallback_on_outage(write=True)(RedisCache.delete_many)
    incr = _fallback_on_outage(write=True)(RedisCache.incr)
    clear = _fallback_on_outage(write=True)(RedisCache.clear)


class _NoCache:
    """The `none` fallback: every read misses, every write is dropped."""

    def get(self, key, default=None, version=None):
        return default

    def get_many(self, keys, version=None):
        return {}

    def has_key(self, key, version=None):
        return False

    def add(self, key, value, timeout=None, version=None):
        return False

    def set(self, key, value, timeout=None, version=None):
        return None

    def set_many(self, data, timeout=None, version=None):
        return []

    def touch(self, key, timeout=None, version=None):
        return False

    def delete(self, key, version=None):
        return False

    def delete_many(self, keys, version=None):
        return None

    def incr(self, key, delta=1, version=None):
        raise ValueError(f"Key '{key}' not found")

    def clear(self):
        return None


def redis_caches(url: str) -> dict:
    """CACHES for one Redis (config/settings.py)."""
    return {"default": {"BACKEND": f"{__name__}.ResilientRedisCache", "LOCATION": url}}
