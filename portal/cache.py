"""The shared cache (Redis) as something the portal can live without for a while.

Rate limits (allauth's and the portal's), the public page cache and TOTP's used-code marks
keep their state in the cache. When Redis is out of reach, Django's RedisCache raises on every
call and a login becomes a 500. This backend answers as an empty cache instead and logs a
warning: rate limits fail open (nothing is counted, nothing is refused), pages are rendered
afresh, and /healthz still says the cache is down (it pings the server itself).
"""

import functools
import logging
import time

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

OUTAGE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
_WARN_EVERY_SECONDS = 30
_last_warning = 0.0


def _warn(operation: str, error: Exception) -> None:
    # One line per half minute and process is enough to page someone; not one per request.
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= _WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning(
            "Cache unreachable (%s: %s): rate limits are not enforced and pages are not "
            "cached until it is back.",
            operation,
            error,
        )


def _fail_open(answer):
    """Run the cache call; on an outage log and return `answer(args, kwargs)` instead."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except OUTAGE as error:
                _warn(method.__name__, error)
                return answer(args, kwargs)

        return wrapper

    return decorator


def _missing_key(args, kwargs):
    # What incr() does for a key that is not there: callers already handle it.
    raise ValueError("The cache is unreachable.")


class KeptClientRedisCacheClient(RedisCacheClient):
    """Django's client makes a new redis.Redis object for every cache call, and each one
    builds its table of response callbacks (a few hundred Python calls, more than the call
    itself): pages that read the cache several times paid it each time. One redis.Redis per
    connection pool serves every call (it takes a connection from the pool per command; the
    cache backend, and so this client, is per thread)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient

    # `add` answers True: allauth's rate-limit lock is then "acquired" and the limit lets the
    # request through, which is the point of failing open.
    add = _fail_open(lambda args, kwargs: True)(RedisCache.add)
    get = _fail_open(lambda args, kwargs: args[1] if len(args) > 1 else kwargs.get("default"))(
        RedisCache.get
    )
    set = _fail_open(lambda args, kwargs: None)(RedisCache.set)
    touch = _fail_open(lambda args, kwargs: False)(RedisCache.touch)
    delete = _fail_open(lambda args, kwargs: False)(RedisCache.delete)
    get_many = _fail_open(lambda args, kwargs: {})(RedisCache.get_many)
    has_key = _fail_open(lambda args, kwargs: False)(RedisCache.has_key)
    incr = _fail_open(_missing_key)(RedisCache.incr)
    set_many = _fail_open(lambda args, kwargs: [])(RedisCache.set_many)
    delete_many = _fail_open(lambda args, kwargs: None)(RedisCache.delete_many)
    clear = _fail_open(lambda args, kwargs: False)(RedisCache.clear)

    def ping(self) -> None:
        """Raise if the server does not answer (for /healthz, which must not be fooled)."""
        self._cache.get_client(write=True).ping()
