from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.identity.tenant import Tenant


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class LoginThrottle(Protocol):
    """Counts failed logins per account and per address; raises ``RateLimited`` when over."""

    async def check(self, account: str, address: str) -> None: ...

    async def failed(self, account: str, address: str) -> None: ...

    async def succeeded(self, account: str) -> None: ...


@dataclass(frozen=True)
class AccessClaims:
    user_id: UUID
    tenant_id: UUID
    session_id: UUID


class AccessTokens(Protocol):
    @property
    def lifetime_seconds(self) -> int: ...

    def issue(self, claims: AccessClaims, now: datetime) -> str: ...

    def verify(self, token: str) -> AccessClaims:
        """Raise ``AuthenticationFailed`` for expired, forged or foreign tokens."""
        ...


class TenantLookup(Protocol):
    """Reads the global tenants table without entering any tenant."""

    async def by_slug(self, slug: str) -> Tenant | None: ...

    async def get(self, tenant_id: UUID) -> Tenant | None: ...
