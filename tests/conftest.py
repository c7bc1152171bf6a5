"""Shared fixtures: a migrated database and a Redis key prefix per test process, a fresh
tenant per test (never truncation), and an HTTP client on the real app."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from hypothesis import settings
from litestar import Litestar
from redis.asyncio import Redis

from application.identity.access_admin import CreateUser, NewUser
from application.identity.tenant_operations import NewTenant, TenantOperations
from application.shared.context import Actor, ActorKind, CallContext, SystemContext
from bootstrap import Container, build_container
from bootstrap.settings import Settings
from domain.identity.permissions import ALL_PERMISSIONS
from tests.support.databases import RUN_ID, TestDatabase, create_migrated_database, drop_database
from tests.support.processes import cli_env  # noqa: F401 - where the tests import it from

REDIS_URL = os.environ.get("SHOPKEEPER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
PASSWORD = "correct-horse-battery"

# Speed is shown by benchmarks, never by a timed test: no per-example deadline on a busy
# machine either (CI's own profile, loaded when CI is set, has none).
settings.register_profile("shopkeeper", deadline=None)
if not os.environ.get("CI"):
    settings.load_profile("shopkeeper")


@pytest.fixture(scope="session")
async def database() -> AsyncIterator[TestDatabase]:
    db = await create_migrated_database(WORKER)
    yield db
    await drop_database(db)


@pytest.fixture(scope="session")
def redis_prefix() -> str:
    return f"shopkeeper-test:{RUN_ID}:{WORKER}:"


@pytest.fixture(scope="session")
def settings(
    database: TestDatabase, redis_prefix: str, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    return make_settings(database, redis_prefix, tmp_path_factory.mktemp("keystore"))


def make_settings(
    db: TestDatabase, redis_prefix: str, keystore: Path, **overrides: object
) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": db.app_url,
        "migration_database_url": db.owner_url,
        "platform_database_url": db.platform_url,
        "redis_url": REDIS_URL,
        "redis_prefix": redis_prefix,
        "keystore": keystore,
        "file_store_dir": keystore.parent / f"{keystore.name}-files",
        "argon2_profile": "fast-insecure-test",
        "token_signing_key": "test-signing-key-" + "x" * 32,
        "log_level": "warning",
        # The test client's address (203.0.113.7) stands for an internal one; other
        # addresses are outside (tests/e2e/platform/test_proxies_and_metrics.py).
        "metrics_networks": ("127.0.0.0/8", "::1", "203.0.113.0/24"),
        "metrics_token": "test-metrics-token-" + "m" * 16,
        "trusted_proxies": ("192.0.2.10", "2001:db8::/64"),
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
async def container(settings: Settings, redis_prefix: str) -> AsyncIterator[Container]:
    services = build_container(settings)
    yield services
    await delete_redis_prefix(services.redis, redis_prefix)
    await services.aclose()


async def delete_redis_prefix(redis: Redis, prefix: str) -> None:
    """Only this run's keys: the Redis server is shared (never FLUSHALL)."""
    async for key in redis.scan_iter(match=prefix + "*", count=500):
        await redis.delete(key)


@pytest.fixture(scope="session")
def app(container: Container) -> Litestar:
    """The real app on the session's container, built once (about 1.7 s of CPU) for every
    client of the process: the API's, the console's, those calling from other addresses."""
    from entrypoints.http.app import create_app

    return create_app(container)


@pytest.fixture(scope="session")
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """The real app in this event loop (so it shares the container's connection pools)."""
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 5555))
    async with httpx.AsyncClient(transport=transport, base_url="http://shopkeeper.test") as c:
        yield c


def support_context(reason: str = "test") -> SystemContext:
    return SystemContext(Actor(ActorKind.SUPPORT, "pytest"), reason, uuid.uuid4().hex)


@dataclass
class TenantHandle:
    """A fresh tenant for one test, with helpers to add users and log them in."""

    id: uuid.UUID
    slug: str
    owner_email: str
    container: Container
    client: httpx.AsyncClient
    _headers: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def admin_context(self) -> CallContext:
        return CallContext(self.id, Actor(ActorKind.SUPPORT, "pytest"), ALL_PERMISSIONS, "setup")

    async def add_user(self, roles: list[str], email: str | None = None) -> str:
        email = email or f"{'-'.join(roles) or 'none'}-{uuid.uuid4().hex[:6]}@example.com"
        await self.container.use_cases.run(
            self.admin_context, CreateUser(NewUser(email, f"User {email}", PASSWORD, roles))
        )
        return email

    async def login(self, email: str, password: str = PASSWORD) -> dict[str, str]:
        response = await self.client.post(
            "/api/v1/auth/login", json={"tenant": self.slug, "email": email, "password": password}
        )
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def headers(self, role: str) -> dict[str, str]:
        """Bearer headers of a user holding exactly one built-in role (cached per role)."""
        if role not in self._headers:
            email = self.owner_email if role == "owner" else await self.add_user([role])
            tokens = await self.login(email)
            self._headers[role] = {"Authorization": f"Bearer {tokens['accessToken']}"}
        return self._headers[role]


TenantFactory = Callable[[], Awaitable[TenantHandle]]


async def create_tenant(container: Container, client: httpx.AsyncClient) -> TenantHandle:
    slug = f"t-{uuid.uuid4().hex[:12]}"
    owner = f"owner@{slug}.example.com"
    tenant = await container.get(TenantOperations).create(
        support_context(), NewTenant(slug, f"Tenant {slug}", owner, PASSWORD)
    )
    return TenantHandle(tenant.id, slug, owner, container, client)


@pytest.fixture
async def new_tenant(container: Container, client: httpx.AsyncClient) -> TenantFactory:
    async def make() -> TenantHandle:
        return await create_tenant(container, client)

    return make


@pytest.fixture
async def tenant(new_tenant: TenantFactory) -> TenantHandle:
    return await new_tenant()
