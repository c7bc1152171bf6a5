"""Calls to an outside service's HTTP API with the retries a real one needs.

A 429 waits its ``Retry-After`` (seconds; capped at ``max_wait``), a 5xx or a connection
error waits ``backoff * 2**attempt``; after ``attempts`` tries the call raises what
``unavailable(status, attempts)`` makes. Other 4xx are the caller's or the data's fault
and raise at once (``httpx.HTTPStatusError``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from adapters.tls import default_tls


@dataclass
class Retrying:
    base_url: str
    attempts: int = 5
    backoff: float = 0.05
    max_wait: float = 5.0
    timeout: float = 10.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    retries: int = 0  # how many calls were tried again (for logs and tests)

    async def call(
        self,
        unavailable: Callable[[int, int], Exception],
        method: str,
        path: str,
        **kwargs: Any,
    ) -> Any:
        status = 0
        async with httpx.AsyncClient(
            base_url=self.base_url.rstrip("/"), timeout=self.timeout, verify=default_tls()
        ) as client:
            for attempt in range(self.attempts):
                if attempt:
                    self.retries += 1
                try:
                    response = await client.request(method, path, **kwargs)
                except httpx.TransportError:
                    status = 0
                    await self.sleep(self.backoff * 2**attempt)
                    continue
                status = response.status_code
                if status == 429:
                    await self.sleep(self._retry_after(response, attempt))
                    continue
                if status >= 500:
                    await self.sleep(self.backoff * 2**attempt)
                    continue
                response.raise_for_status()
                return response.json()
        raise unavailable(status, self.attempts)

    def _retry_after(self, response: httpx.Response, attempt: int) -> float:
        try:
            wait = float(response.headers.get("Retry-After", ""))
        except ValueError:
            wait = self.backoff * 2**attempt
        return min(max(wait, 0.0), self.max_wait)
