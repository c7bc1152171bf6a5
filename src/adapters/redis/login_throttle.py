"""Failed-login counters in Redis, per account and per address (PLT-2).

Fixed windows: the first failure starts a window of ``window`` seconds; once the count
reaches the limit, logins for that account (or from that address) get 429 with the
window's remaining time as Retry-After. A success clears the account's counter.

Deciding and counting are one Lua script, so they are one atomic step in Redis: every
attempt is counted before its password is checked and given back if it was right. (Checking
first and counting after the password let any number of parallel attempts through: all
of them passed the check before the first was counted.)
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

from domain.shared.errors import RateLimited

# KEYS: the counters; ARGV: their limits, then the window. Returns 0 (counted) or the
# seconds until the first full counter's window ends.
_ATTEMPT = """
for i = 1, #KEYS do
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count >= tonumber(ARGV[i]) then
    local ttl = redis.call('TTL', KEYS[i])
    if ttl < 1 then ttl = 1 end
    return ttl
  end
end
for i = 1, #KEYS do
  if redis.call('INCR', KEYS[i]) == 1 then
    redis.call('EXPIRE', KEYS[i], ARGV[#KEYS + 1])
  end
end
return 0
"""

# KEYS[1]: the account's counter (cleared), KEYS[2]: the address's (one attempt back).
_SUCCEEDED = """
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then
  redis.call('DECR', KEYS[2])
end
return 0
"""


class RedisLoginThrottle:
    def __init__(
        self, redis: Redis, prefix: str, per_account: int, per_address: int, window: int
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._limits = (per_account, per_address)
        self._window = window
        self._attempt: Any = redis.register_script(_ATTEMPT)
        self._succeeded: Any = redis.register_script(_SUCCEEDED)

    def _keys(self, account: str, address: str) -> list[str]:
        return [f"{self._prefix}login:acct:{account}", f"{self._prefix}login:addr:{address}"]

    async def attempt(self, account: str, address: str) -> None:
        wait = int(
            await self._attempt(
                keys=self._keys(account, address), args=[*self._limits, self._window]
            )
        )
        if wait:
            raise RateLimited(retry_after=wait)

    async def succeeded(self, account: str, address: str) -> None:
        await self._succeeded(keys=self._keys(account, address))

    async def clear(self, account: str) -> None:
        await self._redis.delete(f"{self._prefix}login:acct:{account}")
