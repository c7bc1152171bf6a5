"""Identity and access (PLT-2): sessions, authentication, administration, tenants."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from adapters.crypto.password_policy import ZxcvbnPasswordPolicy
from adapters.crypto.passwords import Argon2PasswordHasher
from adapters.crypto.tokens import JwtAccessTokens
from adapters.postgres.identity.repositories import PostgresTenantLookup, PostgresTokenAccess
from adapters.redis.login_throttle import RedisLoginThrottle
from application.identity.api_keys.create import CreateApiKeyHandler
from application.identity.api_keys.queries import ListApiKeysHandler
from application.identity.api_keys.revoke import RevokeApiKeyHandler
from application.identity.authentication import Authenticator
from application.identity.roles.create import CreateRoleHandler
from application.identity.roles.delete import DeleteRoleHandler
from application.identity.roles.edit import EditRoleHandler
from application.identity.roles.queries import GetRoleHandler, ListRolesHandler
from application.identity.sessions import SessionPolicy, Sessions
from application.identity.tenant_operations import TenantOperations
from application.identity.users.assign_roles import AssignRolesHandler
from application.identity.users.create import CreateUserHandler
from application.identity.users.delete import DeleteUserHandler
from application.identity.users.me import WhoAmIHandler
from application.identity.users.queries import (
    GetUserHandler,
    ListUsersHandler,
    NameActorsHandler,
)
from application.identity.users.status import SetUserActiveHandler

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
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
    c.use_cases.register(  # who am I; tenant admins: users, custom roles, API keys
        WhoAmIHandler(),
        CreateUserHandler(hasher, password_policy),
        AssignRolesHandler(),
        SetUserActiveHandler(),
        DeleteUserHandler(),
        ListUsersHandler(),
        GetUserHandler(),
        NameActorsHandler(),
        CreateRoleHandler(),
        EditRoleHandler(),
        DeleteRoleHandler(),
        ListRolesHandler(),
        GetRoleHandler(),
        CreateApiKeyHandler(),
        ListApiKeysHandler(),
        RevokeApiKeyHandler(),
    )
    c.add(
        Sessions(c.uow_factory, tenants, hasher, tokens, throttle, c.clock, c.ids, policy),
        Authenticator(c.uow_factory, tenants, PostgresTokenAccess(c.app_engine), tokens, c.clock),
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
