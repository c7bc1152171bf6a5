"""Log in, refresh and log out (PLT-2).

Refresh tokens rotate: each use spends the token and issues the next one of the same
family (session). A spent token presented again means it was stolen or replayed, so the
whole family is revoked — except within a few seconds of its first use, when two tabs
refreshing at once is the likelier story and both get a fresh token. A session has one
live token at a time, grace or not: issuing one spends every other (a token spent so is
"used" from then, with the same grace), so a reuse in the window never forks a second
chain that outlives it; refreshes of one session run one after the other.

A suspended tenant's login is refused the same way whatever the password, so the answer
never tells whether it was right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from application.identity.credentials import (
    answered_in,
    digest,
    new_refresh_token,
    refresh_token_tenant,
)
from application.identity.ports import IDENTITY
from application.identity.security import (
    AccessClaims,
    AccessTokens,
    LoginThrottle,
    PasswordHasher,
    TenantLookup,
    login_account,
)
from application.shared.clock import Clock, IdGenerator
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from domain.identity.tenant import Tenant, TenantStatus
from domain.identity.user import User
from domain.shared.audit import AuditEntry
from domain.shared.errors import AuthenticationFailed, TenantSuspended, ValidationFailed


@dataclass(frozen=True)
class SessionPolicy:
    refresh_lifetime: timedelta
    reuse_grace: timedelta


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    user_id: UUID
    tenant_id: UUID


def _anonymous_context(tenant_id: UUID, request_id: str, ip: str | None) -> CallContext:
    return CallContext(
        tenant_id=tenant_id,
        actor=Actor(ActorKind.USER, "anonymous"),
        permissions=frozenset(),
        request_id=request_id,
        ip=ip,
    )


def _active(tenant: Tenant | None) -> Tenant:
    if tenant is None:
        raise AuthenticationFailed("invalid_credentials")
    if tenant.status is not TenantStatus.ACTIVE:
        raise TenantSuspended().concerning(tenant.locale)
    return tenant


class Sessions:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        tenants: TenantLookup,
        hasher: PasswordHasher,
        tokens: AccessTokens,
        throttle: LoginThrottle,
        clock: Clock,
        ids: IdGenerator,
        policy: SessionPolicy,
    ) -> None:
        self._uow_factory = uow_factory
        self._tenants = tenants
        self._hasher = hasher
        self._tokens = tokens
        self._throttle = throttle
        self._clock = clock
        self._ids = ids
        self._policy = policy
        # Verified when the email is unknown, so both failures take the same time.
        self._dummy_hash: str | None = None

    async def _verify(self, password_hash: str | None, password: str) -> bool:
        if password_hash is None:
            if self._dummy_hash is None:
                self._dummy_hash = await self._hasher.hash("not-a-real-password")
            password_hash = self._dummy_hash
        return await self._hasher.verify(password_hash, password)

    async def login(
        self, tenant_slug: str, email: str, password: str, ip: str | None, request_id: str
    ) -> TokenPair:
        email = email.strip().lower()
        if not tenant_slug or not email or not password:
            raise ValidationFailed.single("credentials", "required")
        account = login_account(tenant_slug, email)
        address = ip or "unknown"
        # Counted as a failure from here on, in the step that decides (see LoginThrottle).
        await self._throttle.attempt(account, address)
        tenant = await self._tenants.by_slug(tenant_slug)
        if tenant is None:
            await self._verify(None, password)
            raise AuthenticationFailed("invalid_credentials")
        if tenant.status is not TenantStatus.ACTIVE:
            # Before the password is looked at, so the answer is the same whether it was
            # right or not (the dummy check keeps the time the same too). This answer says
            # the company exists already, so it may say it in the company's language; the
            # failures above and below may not (decision 42).
            await self._verify(None, password)
            raise TenantSuspended().concerning(tenant.locale)
        async with self._uow_factory.for_tenant(
            _anonymous_context(tenant.id, request_id, ip)
        ) as uow:
            user = await uow.of(IDENTITY).users.by_email(email)
            valid = await self._verify(user.password_hash if user else None, password)
            if user is None or not valid or not user.active:
                await uow.audit.record(
                    AuditEntry(
                        "auth.login",
                        "user",
                        user.id if user else None,
                        "failed",
                        detail={"error": "invalid_credentials"},
                    ),
                )
                await uow.commit()
                raise AuthenticationFailed("invalid_credentials")
            await self._throttle.succeeded(account, address)
            if self._hasher.needs_rehash(user.password_hash):
                user.password_hash = await self._hasher.hash(password)
                await uow.of(IDENTITY).users.save(user)
            pair = await self._start_session(uow, tenant.id, user, ip)
            await uow.commit()
            return pair

    async def _start_session(
        self, uow: UnitOfWork, tenant_id: UUID, user: User, ip: str | None
    ) -> TokenPair:
        now = self._clock.now()
        session_id = self._ids.new_id()
        await uow.of(IDENTITY).sessions.start(session_id, user.id, ip, now)
        refresh = await self._issue_refresh(uow, tenant_id, session_id)
        await uow.audit.record(
            AuditEntry("auth.login", "user", user.id, detail={"session": str(session_id)}),
            actor=f"user:{user.id}",
        )
        return self._pair(tenant_id, user.id, session_id, refresh)

    async def _issue_refresh(self, uow: UnitOfWork, tenant_id: UUID, session_id: UUID) -> str:
        now = self._clock.now()
        token = new_refresh_token(tenant_id)
        await uow.of(IDENTITY).sessions.add_token(
            self._ids.new_id(), session_id, digest(token), now, now + self._policy.refresh_lifetime
        )
        return token

    def _pair(self, tenant_id: UUID, user_id: UUID, session_id: UUID, refresh: str) -> TokenPair:
        access = self._tokens.issue(AccessClaims(user_id, tenant_id, session_id), self._clock.now())
        return TokenPair(access, refresh, self._tokens.lifetime_seconds, user_id, tenant_id)

    async def refresh(self, refresh_token: str, ip: str | None, request_id: str) -> TokenPair:
        tenant_id = refresh_token_tenant(refresh_token)
        tenant = _active(await self._tenants.get(tenant_id))
        # The token names its company by id: failures from here speak its language.
        with answered_in(tenant.locale):
            return await self._refresh(tenant, refresh_token, ip, request_id)

    async def _refresh(
        self, tenant: Tenant, refresh_token: str, ip: str | None, request_id: str
    ) -> TokenPair:
        now = self._clock.now()
        async with self._uow_factory.for_tenant(
            _anonymous_context(tenant.id, request_id, ip)
        ) as uow:
            record = await uow.of(IDENTITY).sessions.token_by_hash(digest(refresh_token))
            if record is None or record.session_revoked or record.expires_at <= now:
                raise AuthenticationFailed("invalid_refresh_token")
            user = await uow.of(IDENTITY).users.get(record.user_id)
            if user is None or not user.active:
                raise AuthenticationFailed("invalid_refresh_token")
            # Spends this token and any other live one of the session (a twin issued in the
            # grace window): the token issued below is then the session's only live one.
            first_use = record.id in await uow.of(IDENTITY).sessions.spend_all(
                record.session_id, now
            )
            if not first_use:
                used_at = record.used_at or now
                if now - used_at > self._policy.reuse_grace:
                    await uow.of(IDENTITY).sessions.revoke(
                        record.session_id, "refresh_token_reuse", now
                    )
                    await uow.audit.record(
                        AuditEntry("auth.refresh_reuse", "session", record.session_id, "denied"),
                        actor=f"user:{user.id}",
                    )
                    await uow.commit()
                    raise AuthenticationFailed("refresh_token_reused")
            new_refresh = await self._issue_refresh(uow, tenant.id, record.session_id)
            await uow.commit()
            return self._pair(tenant.id, user.id, record.session_id, new_refresh)

    async def logout(self, ctx: CallContext) -> None:
        if ctx.session_id is None:
            return  # API keys have no session; revoke the key instead
        async with self._uow_factory.for_tenant(ctx) as uow:
            await uow.of(IDENTITY).sessions.revoke(ctx.session_id, "logout", self._clock.now())
            await uow.audit.record(AuditEntry("auth.logout", "session", ctx.session_id))
            await uow.commit()
