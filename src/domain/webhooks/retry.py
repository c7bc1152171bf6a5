"""When to try a failed delivery again: exponential backoff with full jitter.

After attempt ``n`` fails, the next waits a uniformly random time up to
``min(cap, base * 2**(n-1))`` (never under a second): the ceiling grows so a struggling
receiver gets room, and the jitter spreads the retries of many deliveries that failed
together so they do not come back as one wave.
"""

from __future__ import annotations

from dataclasses import dataclass

_MAX_EXPONENT = 62  # beyond this the cap has long been reached; keeps the float finite


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_seconds: float = 5.0
    cap_seconds: float = 3600.0
    floor_seconds: float = 1.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            # guard: a misconfiguration (settings), refused at start-up
            raise ValueError("a delivery needs at least one attempt")
        if not 0 < self.floor_seconds <= self.base_seconds <= self.cap_seconds:
            # guard: a misconfiguration (settings), refused at start-up
            raise ValueError("need 0 < floor <= base <= cap")

    def ceiling(self, attempt: int) -> float:
        """The longest wait after attempt ``attempt`` (1-based) failed."""
        exponent = min(max(attempt, 1) - 1, _MAX_EXPONENT)
        return min(self.cap_seconds, self.base_seconds * 2.0**exponent)

    def delay(self, attempt: int, draw: float) -> float:
        """The wait after attempt ``attempt`` failed; ``draw`` is uniform in [0, 1)."""
        if not 0.0 <= draw < 1.0:
            # guard: the draw comes from random.random()
            raise ValueError("draw must be in [0, 1)")
        return max(self.floor_seconds, self.ceiling(attempt) * draw)

    def exhausted(self, attempt: int) -> bool:
        return attempt >= self.max_attempts
