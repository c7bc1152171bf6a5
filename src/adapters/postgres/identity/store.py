"""Identity's repositories on one unit of work's connection (``uow.of(IDENTITY)``)."""

from __future__ import annotations

from adapters.postgres.identity.repositories import (
    PostgresApiKeyRepository,
    PostgresRoleRepository,
    PostgresSessionRepository,
    PostgresTenantDirectory,
    PostgresUserRepository,
)
from adapters.postgres.shared.stores import StoreParts
from application.identity.ports import IDENTITY, IdentityStore

KEY = IDENTITY


class PostgresIdentityStore(IdentityStore):
    def __init__(self, parts: StoreParts) -> None:
        conn, tid = parts.connection, parts.tenant_id
        self.tenants = PostgresTenantDirectory(conn)
        self.users = PostgresUserRepository(conn, tid)
        self.roles = PostgresRoleRepository(conn, tid)
        self.sessions = PostgresSessionRepository(conn, tid)
        self.api_keys = PostgresApiKeyRepository(conn, tid)


def build(parts: StoreParts) -> IdentityStore:
    return PostgresIdentityStore(parts)
