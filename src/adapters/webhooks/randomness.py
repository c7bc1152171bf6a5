"""Randomness for webhooks: secrets from the OS's CSPRNG, retry jitter likewise (cheap
enough, and one source fewer to reason about)."""

from __future__ import annotations

import secrets


class SystemRandomSource:
    def __init__(self) -> None:
        self._random = secrets.SystemRandom()

    def random(self) -> float:
        return self._random.random()

    def token_bytes(self, n: int) -> bytes:
        return secrets.token_bytes(n)
