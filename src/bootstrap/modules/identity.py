"""Identity and access (PLT-2): sessions, authentication, administration, tenants."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from adapters.crypto.password_policy import ZxcvbnPasswordPolicy
from adapters.crypto.passwords import Argon2PasswordHasher
from adapters.crypto.tokens import JwtAccessTokens
from adapters.postgres.identity.repositories import PostgresTenantLookup
from adapters.redis.login_throttle import RedisLoginThrottle
from application.identity.access_admin import AccessAdministration
from application.identity.authentication import Authenticator
from application.identity.sessions import SessionPolicy, Sessions
from application.identity.tenant_operations import TenantOperations
from application.identity.users.me import WhoAmIHandler

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
    c.use_cases.register(WhoAmIHandler())
    settings = c.settings
    hasher = Argon2PasswordHasher(
        settings.argon2_profile, settings.password_hash_workers, settings.password_hash_queue
    )
    c.on_close(hasher.close)
    tokens = JwtAccessTokens(
        settings.signing_key(), timedelta(minutes=settings.access_token_minutes)
    )
    password_policy = ZxcvbnPasswordPolicy()
    tenants = PostgresTenantLookup(c.app_engine)
    throttle = RedisLoginThrottle(
        c.redis,
        settings.redis_prefix,
        settings.login_max_failures_per_account,
        settings.login_max_failures_per_address,
        settings.login_failure_window_seconds,
    )
    policy = SessionPolicy(
        refresh_lifetime=timedelta(days=settings.refresh_token_days),
        reuse_grace=timedelta(seconds=settings.refresh_reuse_grace_seconds),
    )
    c.add(
        Sessions(c.uow_factory, tenants, hasher, tokens, throttle, c.clock, c.ids, policy),
        Authenticator(c.uow_factory, tenants, tokens, c.clock),
        AccessAdministration(c.runner, hasher, password_policy, c.clock, c.ids),
        TenantOperations(
            c.uow_factory,
            c.cipher,
            hasher,
            password_policy,
            c.ids,
            c.clock,
            c.file_store,
            throttle,
        ),
        tokens,
    )
