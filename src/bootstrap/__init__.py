"""The one composition root: builds the adapters and hands them to the use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.access import RoleBasedAccessPolicy
from adapters.crypto.field_cipher import EnvelopeFieldCipher
from adapters.crypto.keystore import FileKeyStore
from adapters.crypto.passwords import Argon2PasswordHasher
from adapters.crypto.tokens import JwtAccessTokens
from adapters.postgres.customers import LibPhoneNumberParser
from adapters.postgres.engine import create_engine
from adapters.postgres.identity import PostgresTenantLookup
from adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from adapters.redis.login_throttle import RedisLoginThrottle
from adapters.system import SystemClock, Uuid7Generator
from application.audit.queries import AuditQueries
from application.customers.service import CustomerService
from application.identity.access_admin import AccessAdministration
from application.identity.authentication import Authenticator
from application.identity.sessions import SessionPolicy, Sessions
from application.identity.tenant_operations import TenantOperations
from application.runner import CommandRunner
from bootstrap.settings import Settings


@dataclass
class Container:
    settings: Settings
    app_engine: AsyncEngine
    platform_engine: AsyncEngine
    redis: Redis
    cipher: EnvelopeFieldCipher
    uow_factory: PostgresUnitOfWorkFactory
    runner: CommandRunner
    access: RoleBasedAccessPolicy
    sessions: Sessions
    authenticator: Authenticator
    access_admin: AccessAdministration
    tenant_operations: TenantOperations
    audit_queries: AuditQueries
    customers: CustomerService

    async def aclose(self) -> None:
        await self.redis.aclose()
        await self.app_engine.dispose()
        await self.platform_engine.dispose()


def build_container(settings: Settings | None = None) -> Container:
    settings = settings or Settings()
    clock = SystemClock()
    ids = Uuid7Generator()
    app_engine = create_engine(settings.database_url)
    platform_engine = create_engine(settings.platform_database_url, pool_size=4, max_overflow=4)
    redis = Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)
    cipher = EnvelopeFieldCipher(FileKeyStore(settings.keystore), platform_engine)
    uow_factory = PostgresUnitOfWorkFactory(app_engine, platform_engine, clock, ids, cipher)
    runner = CommandRunner(uow_factory)
    access = RoleBasedAccessPolicy()
    hasher = Argon2PasswordHasher(settings.argon2_profile)
    tokens = JwtAccessTokens(
        settings.token_signing_key, timedelta(minutes=settings.access_token_minutes)
    )
    tenants = PostgresTenantLookup(app_engine)
    throttle = RedisLoginThrottle(
        redis,
        settings.redis_prefix,
        settings.login_max_failures_per_account,
        settings.login_max_failures_per_address,
        settings.login_failure_window_seconds,
    )
    sessions = Sessions(
        uow_factory,
        tenants,
        hasher,
        tokens,
        throttle,
        clock,
        ids,
        SessionPolicy(
            refresh_lifetime=timedelta(days=settings.refresh_token_days),
            reuse_grace=timedelta(seconds=settings.refresh_reuse_grace_seconds),
        ),
    )
    return Container(
        settings=settings,
        app_engine=app_engine,
        platform_engine=platform_engine,
        redis=redis,
        cipher=cipher,
        uow_factory=uow_factory,
        runner=runner,
        access=access,
        sessions=sessions,
        authenticator=Authenticator(uow_factory, tenants, tokens, clock),
        access_admin=AccessAdministration(runner, access, hasher, clock, ids),
        tenant_operations=TenantOperations(uow_factory, cipher, hasher, ids, clock),
        audit_queries=AuditQueries(runner, access),
        customers=CustomerService(runner, access, LibPhoneNumberParser(), clock, ids),
    )
