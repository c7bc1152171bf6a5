"""Creates the roles and the database named in the configured URLs when they are missing.

Runs with the admin (superuser) URL, which is used for nothing else. Role names are
cluster-wide and shared by every database on the server, so roles are created if missing
and never dropped here.
"""

from __future__ import annotations

import asyncpg
from sqlalchemy.engine import make_url


def _role_and_password(url: str) -> tuple[str, str | None]:
    parsed = make_url(url)
    if not parsed.username:
        raise ValueError(f"database URL names no user: {parsed.render_as_string()}")
    return parsed.username, parsed.password


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


async def _ensure_role(conn: asyncpg.Connection, url: str, attributes: str) -> str:
    role, password = _role_and_password(url)
    exists = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role)
    password_clause = f" PASSWORD {_literal(password)}" if password else ""
    verb = "ALTER" if exists else "CREATE"
    await conn.execute(f"{verb} ROLE {_ident(role)} WITH LOGIN {attributes}{password_clause}")
    return role


async def provision(
    admin_url: str, owner_url: str, app_url: str, platform_url: str, database: str | None = None
) -> str:
    """Ensure the three roles and the database exist; returns the database name."""
    db_name = database or make_url(owner_url).database
    if not db_name:
        raise ValueError("the migration URL names no database")
    conn = await asyncpg.connect(
        make_url(admin_url).set(drivername="postgresql").render_as_string(False)
    )
    try:
        # Roles are cluster-wide: two provisioners at once (parallel test workers, two
        # deploys) would otherwise race on the same catalog rows ("tuple concurrently
        # updated"). The session lock ends with the connection.
        await conn.execute("SELECT pg_advisory_lock(hashtext('shopkeeper.provision'))")
        owner = await _ensure_role(conn, owner_url, "NOSUPERUSER NOCREATEROLE BYPASSRLS")
        app = await _ensure_role(conn, app_url, "NOSUPERUSER NOCREATEROLE NOBYPASSRLS")
        platform = await _ensure_role(conn, platform_url, "NOSUPERUSER NOCREATEROLE BYPASSRLS")
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", db_name):
            await conn.execute(f"CREATE DATABASE {_ident(db_name)} OWNER {_ident(owner)}")
        await conn.execute(
            f"GRANT CONNECT ON DATABASE {_ident(db_name)} TO {_ident(app)}, {_ident(platform)}"
        )
        await conn.execute(f"REVOKE CONNECT ON DATABASE {_ident(db_name)} FROM PUBLIC")
        await conn.execute(f"GRANT CONNECT ON DATABASE {_ident(db_name)} TO {_ident(owner)}")
    finally:
        await conn.close()
    # The public schema belongs to the database owner from PostgreSQL 15 on; make sure.
    target = make_url(admin_url).set(drivername="postgresql", database=db_name)
    conn = await asyncpg.connect(target.render_as_string(False))
    try:
        await conn.execute(f"ALTER SCHEMA public OWNER TO {_ident(owner)}")
        await conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    finally:
        await conn.close()
    return db_name
