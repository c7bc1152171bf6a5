"""Refresh-token reuse (PLT-2): two tabs refreshing within the grace window both get a
fresh token; the same reuse after the window revokes the session."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from adapters.crypto.passwords import Argon2PasswordHasher
from adapters.crypto.tokens import JwtAccessTokens
from adapters.postgres.identity.repositories import PostgresTenantLookup
from adapters.system import Uuid7Generator
from application.identity.credentials import digest
from application.identity.ports import IDENTITY
from application.identity.sessions import SessionPolicy, Sessions
from bootstrap import Container
from domain.shared.errors import AuthenticationFailed
from tests.conftest import PASSWORD, TenantHandle
from tests.fakes.clock import FakeClock


class NoThrottle:
    async def attempt(self, account: str, address: str) -> None: ...
    async def succeeded(self, account: str, address: str) -> None: ...


def _sessions(container: Container, clock: FakeClock) -> Sessions:
    return Sessions(
        container.uow_factory,
        PostgresTenantLookup(container.app_engine),
        Argon2PasswordHasher("fast-insecure-test"),
        JwtAccessTokens(container.settings.token_signing_key, timedelta(minutes=15)),
        NoThrottle(),
        clock,
        Uuid7Generator(),
        SessionPolicy(refresh_lifetime=timedelta(days=1), reuse_grace=timedelta(seconds=5)),
    )


async def test_reuse_within_grace_gets_a_token_of_the_same_session(
    tenant: TenantHandle, container: Container
) -> None:
    clock = FakeClock()
    sessions = _sessions(container, clock)
    login = await sessions.login(tenant.slug, tenant.owner_email, PASSWORD, None, "t")
    tab_one = await sessions.refresh(login.refresh_token, None, "t")
    clock.advance(seconds=2)
    tab_two = await sessions.refresh(login.refresh_token, None, "t")
    assert tab_two.refresh_token != tab_one.refresh_token
    # Both tabs carry on.
    await sessions.refresh(tab_one.refresh_token, None, "t")
    await sessions.refresh(tab_two.refresh_token, None, "t")


async def test_reuse_after_grace_revokes_the_session(
    tenant: TenantHandle, container: Container
) -> None:
    clock = FakeClock()
    sessions = _sessions(container, clock)
    login = await sessions.login(tenant.slug, tenant.owner_email, PASSWORD, None, "t")
    current = await sessions.refresh(login.refresh_token, None, "t")
    clock.advance(seconds=6)
    with pytest.raises(AuthenticationFailed) as reused:
        await sessions.refresh(login.refresh_token, None, "t")
    assert reused.value.code == "refresh_token_reused"
    with pytest.raises(AuthenticationFailed):
        await sessions.refresh(current.refresh_token, None, "t")


async def test_a_reuse_within_grace_does_not_fork_a_second_live_chain(
    tenant: TenantHandle, container: Container
) -> None:
    """#9, item 10: the twin issued in the grace window replaces the first successor; once
    the window has passed, only one of the two is a live token (the other is a reuse)."""
    clock = FakeClock()
    sessions = _sessions(container, clock)
    login = await sessions.login(tenant.slug, tenant.owner_email, PASSWORD, None, "t")
    first = await sessions.refresh(login.refresh_token, None, "t")
    clock.advance(seconds=1)
    twin = await sessions.refresh(login.refresh_token, None, "t")
    clock.advance(seconds=10)
    carried_on = await sessions.refresh(twin.refresh_token, None, "t")
    with pytest.raises(AuthenticationFailed) as forked:
        await sessions.refresh(first.refresh_token, None, "t")
    assert forked.value.code == "refresh_token_reused"
    with pytest.raises(AuthenticationFailed):  # and the reuse revoked the session
        await sessions.refresh(carried_on.refresh_token, None, "t")


async def test_two_refreshes_released_together_leave_one_live_chain(
    tenant: TenantHandle, container: Container
) -> None:
    """Two tabs refreshing the same token at the same moment (a barrier releases both):
    both get a token, and once the window has passed exactly one of them refreshes."""
    clock = FakeClock()
    sessions = _sessions(container, clock)
    login = await sessions.login(tenant.slug, tenant.owner_email, PASSWORD, None, "t")
    barrier = asyncio.Barrier(2)

    async def tab() -> str:
        await barrier.wait()
        return (await sessions.refresh(login.refresh_token, None, "t")).refresh_token

    tokens = await asyncio.gather(tab(), tab())
    async with container.uow_factory.for_tenant(tenant.admin_context) as uow:
        records = [await uow.of(IDENTITY).sessions.token_by_hash(digest(t)) for t in tokens]
    assert sorted(r is not None and r.used_at is None for r in records) == [False, True]
    live = tokens[[r is not None and r.used_at is None for r in records].index(True)]
    spent = tokens[1 - tokens.index(live)]
    clock.advance(seconds=10)
    await sessions.refresh(live, None, "t")
    with pytest.raises(AuthenticationFailed) as reused:
        await sessions.refresh(spent, None, "t")
    assert reused.value.code == "refresh_token_reused"
