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
from application.identity.security import AccessTokens, TenantLookup
from application.shared.clock import Clock
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.unit_of_work import UnitOfWorkFactory
from domain.identity.tenant import TenantStatus
from domain.shared.errors import AuthenticationFailed, TenantSuspended


class Authenticator:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        tenants: TenantLookup,
        tokens: AccessTokens,
        clock: Clock,
    ) -> None:
        self._uow_factory = uow_factory
        self._tenants = tenants
        self._tokens = tokens
        self._clock = clock

    async def _active_tenant(self, tenant_id: UUID) -> tuple[UUID, str]:
        """The tenant's id and default language, if it is active."""
        tenant = await self._tenants.get(tenant_id)
        if tenant is None:
            raise AuthenticationFailed("invalid_token")
        if tenant.status is not TenantStatus.ACTIVE:
            raise TenantSuspended().concerning(tenant.locale)
        return tenant.id, tenant.locale

    async def from_access_token(
        self, token: str, request_id: str, ip: str | None, locale: str
    ) -> CallContext:
        claims = self._tokens.verify(token)
        tenant_id, tenant_locale = await self._active_tenant(claims.tenant_id)
        locale = locale or tenant_locale  # no language asked for: the company's
        actor = Actor(ActorKind.USER, str(claims.user_id))
        probe = CallContext(
            tenant_id, actor, frozenset(), request_id, ip, locale, claims.session_id
        )
        # The token is signed: its company's language may answer what fails from here.
        with answered_in(tenant_locale):
            permissions = await self._user_permissions(probe, claims.user_id, claims.session_id)
        return CallContext(tenant_id, actor, permissions, request_id, ip, locale, claims.session_id)

    async def _user_permissions(
        self, probe: CallContext, user_id: UUID, session_id: UUID
    ) -> frozenset[str]:
        async with self._uow_factory.for_tenant(probe) as uow:
            access = await uow.of(IDENTITY).users.access(user_id, session_id)
        if access is None or not access.active:
            raise AuthenticationFailed("invalid_token")
        # The session must be this user's: a token naming another user's session (a
        # forged or mixed-up token) is no session at all.
        if not access.session_active:
            raise AuthenticationFailed("session_revoked")
        return access.permissions

    async def from_api_key(
        self, key: str, request_id: str, ip: str | None, locale: str
    ) -> CallContext:
        parts = parse_api_key(key)
        tenant_id, tenant_locale = await self._active_tenant(parts.tenant_id)
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
