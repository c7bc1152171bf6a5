"""Login under pressure (#9, item 2): the failed-login limit holds against attempts made
all at once, and password hashing sheds load (503 with Retry-After) instead of stalling."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx
from litestar import Litestar

from adapters.crypto.passwords import Argon2PasswordHasher
from bootstrap import Container, build_container
from bootstrap.settings import Settings
from domain.shared.errors import ServiceBusy
from entrypoints.http.app import create_app
from tests.conftest import TenantHandle


async def _all_at_once(
    client: httpx.AsyncClient, bodies: list[dict[str, str]]
) -> list[httpx.Response]:
    """Post every body from its own task, the tasks released together by a barrier."""
    barrier = asyncio.Barrier(len(bodies))

    async def one(body: dict[str, str]) -> httpx.Response:
        await barrier.wait()
        return await client.post("/api/v1/auth/login", json=body, headers={"Accept-Language": "en"})

    return list(await asyncio.gather(*(one(body) for body in bodies)))


async def test_parallel_failed_logins_cannot_pass_the_limit_together(
    tenant: TenantHandle, container: Container, app: Litestar
) -> None:
    limit = container.settings.login_max_failures_per_account
    transport = httpx.ASGITransport(app=app, client=("198.51.100.31", 1000))
    async with httpx.AsyncClient(transport=transport, base_url="http://shopkeeper.test") as client:
        body = {"tenant": tenant.slug, "email": tenant.owner_email, "password": "wrong-password"}
        statuses = [r.status_code for r in await _all_at_once(client, [body] * (4 * limit))]
    assert statuses.count(401) == limit, statuses
    assert statuses.count(429) == 3 * limit


async def test_hashing_beyond_its_queue_is_refused_at_once() -> None:
    hasher = Argon2PasswordHasher("fast-insecure-test", workers=1, queue=1)
    stored = await hasher.hash("correct-horse-battery")
    results = await asyncio.gather(
        *(hasher.verify(stored, "correct-horse-battery") for _ in range(3)),
        return_exceptions=True,
    )
    assert results[:2] == [True, True]
    assert isinstance(results[2], ServiceBusy)
    assert await hasher.verify(stored, "correct-horse-battery")  # free again afterwards


async def test_logins_beyond_the_hashing_capacity_get_503_with_retry_after(
    tenant: TenantHandle, settings: Settings
) -> None:
    """The real Argon2 profile, one hashing slot and no queue: of logins arriving together,
    the one hashing is answered and the rest are shed, not queued."""
    busy = build_container(
        replace(settings, argon2_profile="default", password_hash_workers=1, password_hash_queue=0)
    )
    transport = httpx.ASGITransport(app=create_app(busy), client=("198.51.100.32", 1000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://sk.test") as client:
            bodies = [
                {"tenant": tenant.slug, "email": f"nobody{n}@example.com", "password": "x" * 12}
                for n in range(6)
            ]
            responses = await _all_at_once(client, bodies)
    finally:
        await busy.aclose()
    statuses = [r.status_code for r in responses]
    assert 503 in statuses, statuses
    assert set(statuses) <= {401, 503}
    shed = next(r for r in responses if r.status_code == 503)
    assert shed.headers["content-type"].startswith("application/problem+json")
    assert shed.headers["retry-after"] == "1"
    assert shed.json()["code"] == "service_busy"
    assert shed.json()["title"].startswith("The service is busy")
