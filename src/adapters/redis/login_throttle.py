"""Failed-login counters in Redis, per account and per address (PLT-2).

Fixed windows: the first failure starts a window of ``window`` seconds; once the count
reaches the limit, logins for that account (or from that address) get 429 with the
window's remaining time as Retry-After. A success clears the account's counter.
"""

from __future__ import annotations

from redis.asyncio import Redis

from domain.shared.errors import RateLimited


class RedisLoginThrottle:
    def __init__(
        self, redis: Redis, prefix: str, per_account: int, per_address: int, window: int
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._limits = {"acct": per_account, "addr": per_address}
        self._window = window

    def _key(self, kind: str, value: str) -> str:
        return f"{self._prefix}login:{kind}:{value}"

    async def check(self, account: str, address: str) -> None:
        for kind, value in (("acct", account), ("addr", address)):
            key = self._key(kind, value)
            count = await self._redis.get(key)
            if count is not None and int(count) >= self._limits[kind]:
                ttl = await self._redis.ttl(key)
                raise RateLimited(retry_after=max(int(ttl), 1))

    async def failed(self, account: str, address: str) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            for kind, value in (("acct", account), ("addr", address)):
                key = self._key(kind, value)
                pipe.incr(key)
                pipe.expire(key, self._window, nx=True)
            await pipe.execute()

    async def succeeded(self, account: str) -> None:
        await self._redis.delete(self._key("acct", account))
