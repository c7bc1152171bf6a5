from __future__ import annotations

from typing import Protocol


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class LoginThrottle(Protocol):
    """Counts failed logins per account and per address; raises ``RateLimited`` when over."""

    async def check(self, account: str, address: str) -> None: ...

    async def failed(self, account: str, address: str) -> None: ...

    async def succeeded(self, account: str) -> None: ...
