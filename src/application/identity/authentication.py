"""Turns a presented credential into a ``CallContext`` (who, which tenant, which permissions).

Checked on every request: the token's signature and lifetime, the tenant being active, the
session not revoked (so logout and refresh-reuse take effect at once) and the user's own,
the user active, and the user's current roles — a role change applies to the next request.
"""

from __future__ import annotations

import dataclasses
import hmac
from uuid import UUID

from application.identity.credentials import ApiKeyParts, answered_in, digest, parse_api_key
from application.identity.ports import IDENTITY
from application.identity.security import (
    AccessTokens,
    TenantLookup,
    TokenAccessLookup,
    UserAccess,
)
from application.shared.clock import Clock
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.unit_of_work import UnitOfWorkFactory
from domain.identity.tenant import Tenant, TenantStatus
from domain.shared.errors import AuthenticationFailed, TenantSuspended


class Authenticator:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        tenants: TenantLookup,
        access: TokenAccessLookup,
        tokens: AccessTokens,
        clock: Clock,
    ) -> None:
        self._uow_factory = uow_factory
        self._tenants = tenants
        self._access = access
        self._tokens = tokens
        self._clock = clock

    async def from_access_token(
        self, token: str, request_id: str, ip: str | None, locale: str
    ) -> CallContext:
        claims = self._tokens.verify(token)
        actor = Actor(ActorKind.USER, str(claims.user_id))
        # The tenant and the user's access in one read, no transaction around it (the token
        # is signed, so its tenant may be entered before the tenant is checked): one round
        # trip a request (PLT-9; decision 97).
        standing = await self._access.standing(claims.tenant_id, claims.user_id, claims.session_id)
        tenant_id, tenant_locale = _standing(standing.tenant if standing else None)
        access = standing.access if standing else None
        # The token is signed: its company's language may answer what fails from here.
        with answered_in(tenant_locale):
            permissions = _permissions(access)
        locale = locale or tenant_locale  # no language asked for: the company's
        return CallContext(tenant_id, actor, permissions, request_id, ip, locale, claims.session_id)

    async def from_api_key(
        self, key: str, request_id: str, ip: str | None, locale: str
    ) -> CallContext:
        parts = parse_api_key(key)
        tenant_id, tenant_locale = _standing(await self._tenants.get(parts.tenant_id))
        locale = locale or tenant_locale
        actor = Actor(ActorKind.API_KEY, str(parts.key_id))
        probe = CallContext(tenant_id, actor, frozenset(), request_id, ip, locale)
        # The company's id is in the key's prefix, which cannot be guessed.
        with answered_in(tenant_locale):
            return await self._key_context(probe, parts)

    async def _key_context(self, probe: CallContext, parts: ApiKeyParts) -> CallContext:
        async with self._uow_factory.for_tenant(probe) as uow:
            record = await uow.of(IDENTITY).api_keys.get(parts.key_id)
            stored = await uow.of(IDENTITY).api_keys.secret_hash(parts.key_id)
            if (
                record is None
                or stored is None
                or record.revoked_at is not None
                or not hmac.compare_digest(stored, digest(parts.secret))
            ):
                raise AuthenticationFailed("invalid_api_key")
            await uow.of(IDENTITY).api_keys.touch(parts.key_id, self._clock.now())
            await uow.commit()
        return dataclasses.replace(probe, permissions=record.permissions)


def _standing(tenant: Tenant | None) -> tuple[UUID, str]:
    """The tenant's id and default language, if it exists and is active."""
    if tenant is None:
        raise AuthenticationFailed("invalid_token")
    if tenant.status is not TenantStatus.ACTIVE:
        raise TenantSuspended().concerning(tenant.locale)
    return tenant.id, tenant.locale


def _permissions(access: UserAccess | None) -> frozenset[str]:
    """The permissions of a token's user, if the user is active and the session is the
    user's own and not revoked (a token naming another user's session — forged or mixed
    up — is no session at all)."""
    if access is None or not access.active:
        raise AuthenticationFailed("invalid_token")
    if not access.session_active:
        raise AuthenticationFailed("session_revoked")
    return access.permissions
