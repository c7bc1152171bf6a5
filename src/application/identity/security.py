from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.identity.tenant import Tenant
from domain.identity.user import check_password_strength
from domain.shared.errors import ValidationFailed


class PasswordHasher(Protocol):
    """Hashing is slow on purpose, so it is awaited (it runs off the event loop) and may be
    refused with ``ServiceBusy`` when too much of it is waiting already."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class PasswordPolicy(Protocol):
    def guessable(self, password: str, related: Sequence[str] = ()) -> bool:
        """A common password, or one an attacker's guesses would reach soon; ``related``:
        the account's email, name and company, which it must not lean on."""
        ...


def check_new_password(policy: PasswordPolicy, password: str, related: Sequence[str]) -> None:
    """What every new password must pass: the length (domain) and the policy."""
    check_password_strength(password)
    if policy.guessable(password, related):
        raise ValidationFailed.single("password", "password_too_weak")


def login_account(tenant_slug: str, email: str) -> str:
    """The account a login's failures are counted against (``LoginThrottle``)."""
    return hashlib.sha256(f"{tenant_slug}\x1f{email}".encode()).hexdigest()


class LoginThrottle(Protocol):
    """Counts failed logins per account and per address.

    Each attempt counts as a failure from the start, in one atomic step with the decision,
    so attempts in parallel cannot all pass a check made before any was counted.
    """

    async def attempt(self, account: str, address: str) -> None:
        """Count this attempt; raise ``RateLimited`` (nothing counted) when over a limit."""
        ...

    async def succeeded(self, account: str, address: str) -> None:
        """The attempt was right: clear the account's failures, give the address its
        attempt back."""
        ...

    async def clear(self, account: str) -> None:
        """Forget the account's failures: support unlocked it or reset its password."""
        ...


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


@dataclass(frozen=True)
class UserAccess:
    """What a request's token is checked against, read together (one statement a request)."""

    active: bool  # the user's
    session_active: bool  # the session is this user's and not revoked
    permissions: frozenset[str]  # of the roles the user holds


@dataclass(frozen=True)
class TokenStanding:
    """A token's tenant and its user's access, read together."""

    tenant: Tenant
    access: UserAccess | None  # None: no such user in the tenant


class TokenAccessLookup(Protocol):
    async def standing(
        self, tenant_id: UUID, user_id: UUID, session_id: UUID
    ) -> TokenStanding | None:
        """The tenant's row, the user's active flag, whether ``session_id`` is the user's
        unrevoked session and the permissions of the roles the user holds — in one read,
        without a transaction of its own (one round trip a request); None: no such tenant."""
        ...
