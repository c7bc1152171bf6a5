"""The faults of a simulated service (the marketplace, the carrier).

Every API call first meets **the rate limit** (``rate_limit`` calls a second per key —
a shop, a carrier — answered 429 with ``Retry-After``), then **the faults**: ``error_rate``
(0..1) of calls answer 503, and a queue of forced answers (``POST /sim/faults
{"next": [429, 503]}``) answers the next calls with those statuses.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any

from litestar import Response, get, post
from litestar.params import JSONBody


@dataclass
class SimConfig:
    rate_limit: float | None = None  # calls a second per key; None: no limit
    error_rate: float = 0.0  # share of calls answering 503
    retry_after: int = 1  # the Retry-After seconds a 429 names
    seed: int | None = None


@dataclass
class Faults:
    config: SimConfig
    forced: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    calls: dict[str, list[float]] = field(default_factory=dict)  # times of recent calls

    def __post_init__(self) -> None:
        self.random = random.Random(self.config.seed)  # noqa: S311 (fault injection, not secrets)

    def gate(self, key: str, kind: str) -> Response[Any] | None:
        """The rate limit and the faults, before an API call is answered."""
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if self.forced:
            return _refusal(self.forced.pop(0), self.config.retry_after)
        if self.config.rate_limit is not None:
            now = time.monotonic()
            recent = [t for t in self.calls.get(key, []) if now - t < 1.0]
            if len(recent) >= self.config.rate_limit:
                self.calls[key] = recent
                return _refusal(429, self.config.retry_after)
            self.calls[key] = [*recent, now]
        if self.config.error_rate and self.random.random() < self.config.error_rate:
            return _refusal(503, self.config.retry_after)
        return None


def _refusal(status: int, retry_after: int) -> Response[Any]:
    headers = {"Retry-After": str(retry_after)} if status == 429 else {}
    return Response(
        {"error": "rate_limited" if status == 429 else "unavailable"},
        status_code=status,
        headers=headers,
    )


def fault_routes(faults: Faults) -> list[Any]:
    """``GET /sim/calls`` (the call counts by kind) and ``POST /sim/faults``."""

    @get("/sim/calls", sync_to_thread=False)
    def calls() -> Any:
        return faults.counts

    @post("/sim/faults", sync_to_thread=False, status_code=200)
    def set_faults(data: JSONBody[dict[str, Any]]) -> Any:
        config = faults.config
        faults.forced.extend(int(s) for s in data.get("next", []))
        if "errorRate" in data:
            config.error_rate = float(data["errorRate"])
        if "rateLimit" in data:
            config.rate_limit = data["rateLimit"]
        if "retryAfter" in data:
            config.retry_after = int(data["retryAfter"])
        return {
            "next": faults.forced,
            "errorRate": config.error_rate,
            "rateLimit": config.rate_limit,
        }

    return [calls, set_faults]
