"""The catalog proves tenancy on the migrated database (PLT-1) and append-only audit (PLT-3).

Every table in ``public`` is either on the explicit global list or tenant-scoped; every
tenant table forces row-level security with exactly the canonical policy, and every key
of it includes ``tenant_id``; ``shopkeeper_app`` can neither bypass nor own anything.

The checkers are plain functions over a connection. The negative self-checks at the end
run them against broken scratch tables (created in a transaction that is rolled back) to
prove they would catch a forgotten policy, ``USING (true)`` or a tenant-blind unique key.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from migrations.rls import APP_ROLE, PLATFORM_ROLE, TENANT_PREDICATE

from tests.reliability.figures import figure
from tests.support.databases import TestDatabase

# Global by nature; every other table in ``public`` must be tenant-scoped.
GLOBAL_TABLES = frozenset({"tenants", "operator_audit_log", "scheduler_runs", "alembic_version"})


@pytest.fixture
async def owner(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    """The migration owner: owns the tables, so it may create scratch tables to probe."""
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


# ---- checkers -------------------------------------------------------------------------


async def canonical_policy_text(conn: asyncpg.Connection) -> str:
    """How Postgres deparses TENANT_PREDICATE, read from a policy made and rolled back."""
    probe = f"catalog_probe_{uuid.uuid4().hex[:8]}"
    tx = conn.transaction()
    await tx.start()
    try:
        await conn.execute(f"CREATE TABLE {probe} (tenant_id uuid NOT NULL)")
        await conn.execute(
            f"CREATE POLICY canonical ON {probe} "
            f"USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})"
        )
        using, check = await conn.fetchrow(
            "SELECT pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid)"
            " FROM pg_policy WHERE polrelid = $1::regclass",
            probe,
        )
    finally:
        await tx.rollback()
    assert using == check
    return str(using)


async def public_tables(conn: asyncpg.Connection) -> dict[str, bool]:
    """Every table in ``public`` → whether it has a ``tenant_id`` column."""
    rows = await conn.fetch(
        "SELECT c.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid"
        "   AND a.attname = 'tenant_id' AND NOT a.attisdropped) AS scoped"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
    )
    return {r["relname"]: r["scoped"] for r in rows}


async def tenant_tables(conn: asyncpg.Connection) -> list[str]:
    return sorted(
        name
        for name, scoped in (await public_tables(conn)).items()
        if scoped and name not in GLOBAL_TABLES
    )


async def unclassified_tables(conn: asyncpg.Connection) -> list[str]:
    """Tables neither on the global list nor carrying ``tenant_id``."""
    return sorted(
        name
        for name, scoped in (await public_tables(conn)).items()
        if not scoped and name not in GLOBAL_TABLES
    )


async def rls_problems(conn: asyncpg.Connection, table: str, canonical: str) -> list[str]:
    """What is wrong with a tenant table's row-level security; empty when it is right."""
    problems: list[str] = []
    enabled, forced = await conn.fetchrow(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = $1::regclass",
        table,
    )
    if not enabled:
        problems.append(f"{table}: row-level security not enabled")
    if not forced:
        problems.append(f"{table}: row-level security not forced")
    policies = await conn.fetch(
        "SELECT polname, polcmd::text AS polcmd, polpermissive,"
        " pg_get_expr(polqual, polrelid) AS using_expr,"
        " pg_get_expr(polwithcheck, polrelid) AS check_expr,"
        " polroles::oid[] AS roles,"
        " (SELECT oid FROM pg_roles WHERE rolname = $2) AS app_oid"
        " FROM pg_policy WHERE polrelid = $1::regclass",
        table,
        APP_ROLE,
    )
    if len(policies) != 1:
        problems.append(f"{table}: {len(policies)} policies, expected exactly one")
    for p in policies:
        name = f"{table}.{p['polname']}"
        if p["polcmd"] != "*":
            problems.append(f"{name}: applies to command {p['polcmd']!r}, not ALL")
        if not p["polpermissive"]:
            problems.append(f"{name}: restrictive, expected the one permissive policy")
        if p["using_expr"] != canonical:
            problems.append(f"{name}: USING {p['using_expr']!r} is not {canonical!r}")
        if p["check_expr"] != canonical:
            problems.append(f"{name}: WITH CHECK {p['check_expr']!r} is not {canonical!r}")
        roles = set(p["roles"])
        if roles != {0} and p["app_oid"] not in roles:
            problems.append(f"{name}: applies neither to PUBLIC nor to {APP_ROLE}")
    return problems


async def key_problems(conn: asyncpg.Connection, table: str) -> list[str]:
    """Primary, unique and foreign keys (and unique indexes) that leave out ``tenant_id``.

    A foreign key must also pair its ``tenant_id`` with the referenced table's tenant
    (``tenant_id``, or ``tenants.id``), or it could still point across tenants.
    """
    problems: list[str] = []
    constraints = await conn.fetch(
        "SELECT con.conname, con.contype::text AS contype, con.confrelid::regclass::text AS target,"
        " ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i)"
        "       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n"
        "       ORDER BY k.i) AS local_cols,"
        " ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i)"
        "       JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n"
        "       ORDER BY k.i) AS target_cols"
        " FROM pg_constraint con WHERE con.conrelid = $1::regclass AND con.contype IN"
        " ('p', 'u', 'f', 'x')",
        table,
    )
    kinds = {"p": "primary key", "u": "unique key", "f": "foreign key", "x": "exclusion"}
    for c in constraints:
        what = f"{table}: {kinds[c['contype']]} {c['conname']} {tuple(c['local_cols'])}"
        if "tenant_id" not in c["local_cols"]:
            problems.append(f"{what} lacks tenant_id")
            continue
        if c["contype"] == "f":
            paired = c["target_cols"][c["local_cols"].index("tenant_id")]
            if not (paired == "tenant_id" or (c["target"] == "tenants" and paired == "id")):
                problems.append(f"{what} pairs tenant_id with {c['target']}.{paired}")
    # A unique index made without a constraint is a unique key all the same.
    indexes = await conn.fetch(
        "SELECT i.indexrelid::regclass::text AS name,"
        " ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) k(n)"
        "       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n) AS cols"
        " FROM pg_index i WHERE i.indrelid = $1::regclass AND i.indisunique"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid"
        "                 AND con.conrelid = i.indrelid)",
        table,
    )
    for ix in indexes:
        if "tenant_id" not in ix["cols"]:
            problems.append(
                f"{table}: unique index {ix['name']} {tuple(ix['cols'])} lacks tenant_id"
            )
    return problems


async def all_problems(conn: asyncpg.Connection) -> list[str]:
    canonical = await canonical_policy_text(conn)
    problems = [f"{t}: neither global nor tenant-scoped" for t in await unclassified_tables(conn)]
    for table in await tenant_tables(conn):
        problems += await rls_problems(conn, table, canonical)
        problems += await key_problems(conn, table)
    return problems


# ---- the migrated database ------------------------------------------------------------


async def test_canonical_policy_is_what_postgres_prints(owner: asyncpg.Connection) -> None:
    """PLT-1: the reference text is Postgres's own deparse, so comparisons are exact."""
    canonical = await canonical_policy_text(owner)
    assert "NULLIF(current_setting('app.tenant_id'::text, true), ''::text)" in canonical
    assert canonical.startswith("(tenant_id = ")


async def test_every_table_is_global_or_tenant_scoped(owner: asyncpg.Connection) -> None:
    """PLT-1: a new table must either join GLOBAL_TABLES (on purpose) or carry tenant_id."""
    assert await unclassified_tables(owner) == []
    tables = await public_tables(owner)
    assert GLOBAL_TABLES - {"alembic_version"} <= set(tables), "global list names a lost table"
    assert len(await tenant_tables(owner)) >= 10  # users, roles, audit_log, customers, ...


async def test_every_tenant_table_forces_the_canonical_policy(owner: asyncpg.Connection) -> None:
    """PLT-1: ENABLE + FORCE RLS and exactly one ALL policy, USING = WITH CHECK = canonical."""
    canonical = await canonical_policy_text(owner)
    problems, unforced, tables = [], 0, await tenant_tables(owner)
    for table in tables:
        found = await rls_problems(owner, table, canonical)
        problems += found
        unforced += bool(found)
    figure("R8", "tenant tables", len(tables))
    figure("R8", "without forced RLS", unforced, 0)
    assert problems == []


async def test_every_key_of_a_tenant_table_includes_tenant_id(owner: asyncpg.Connection) -> None:
    """PLT-1: no primary, unique or foreign key (nor unique index) may ignore tenant_id."""
    problems = []
    for table in await tenant_tables(owner):
        problems += await key_problems(owner, table)
        pk = await owner.fetchval(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'",
            table,
        )
        if pk != 1:
            problems.append(f"{table}: no primary key")
    assert problems == []


async def test_no_view_runs_with_its_owners_rights(owner: asyncpg.Connection) -> None:
    """PLT-1: a view without security_invoker would read tenant tables as its owner."""
    views = await owner.fetch(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')"
        " AND NOT coalesce('security_invoker=true' = ANY(c.reloptions), false)"
    )
    assert [v["relname"] for v in views] == []


async def test_app_role_can_neither_bypass_nor_own(owner: asyncpg.Connection) -> None:
    """PLT-1: shopkeeper_app is not superuser, not BYPASSRLS, owns nothing, inherits neither."""
    role = await owner.fetchrow(
        "SELECT oid, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles"
        " WHERE rolname = $1",
        APP_ROLE,
    )
    assert role is not None
    rights = ("rolsuper", "rolbypassrls", "rolcreaterole", "rolcreatedb")
    figure("R8", "request role superuser/BYPASSRLS/creator rights", sum(role[r] for r in rights), 0)
    assert not role["rolsuper"]
    assert not role["rolbypassrls"]
    assert not role["rolcreaterole"]
    assert not role["rolcreatedb"]
    app = role["oid"]
    owned = {
        "relations": await owner.fetch(
            "SELECT oid::regclass::text FROM pg_class WHERE relowner = $1", app
        ),
        "functions": await owner.fetch(
            "SELECT oid::regprocedure::text FROM pg_proc WHERE proowner = $1", app
        ),
        "schemas": await owner.fetch("SELECT nspname FROM pg_namespace WHERE nspowner = $1", app),
        "types": await owner.fetch("SELECT typname FROM pg_type WHERE typowner = $1", app),
        "databases": await owner.fetch("SELECT datname FROM pg_database WHERE datdba = $1", app),
        # Catch-all: ownership of anything in this database or of a shared object.
        "shdepend": await owner.fetch(
            "SELECT classid::regclass::text, objid FROM pg_shdepend WHERE refobjid = $1"
            " AND deptype = 'o' AND dbid IN (0, (SELECT oid FROM pg_database"
            "                                   WHERE datname = current_database()))",
            app,
        ),
    }
    figure("R8", "objects the request role owns", sum(len(rows) for rows in owned.values()), 0)
    assert {kind: rows for kind, rows in owned.items() if rows} == {}
    # Membership would lend it another role's rights (SET ROLE, or inherited ownership).
    lent = await owner.fetch(
        "SELECT r.rolname FROM pg_roles r WHERE r.oid <> $1"
        " AND pg_has_role($1, r.oid, 'MEMBER')"
        " AND (r.rolsuper OR r.rolbypassrls OR r.rolname = 'pg_database_owner'"
        "      OR EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid))",
        app,
    )
    assert [r["rolname"] for r in lent] == []


async def test_app_role_cannot_truncate_tenant_tables(owner: asyncpg.Connection) -> None:
    """PLT-1: TRUNCATE ignores row-level security, so it would empty every tenant at once."""
    granted = [
        table
        for table in await tenant_tables(owner)
        if await owner.fetchval("SELECT has_table_privilege($1, $2, 'TRUNCATE')", APP_ROLE, table)
    ]
    assert granted == []


@pytest.mark.parametrize("role", [APP_ROLE, PLATFORM_ROLE])
async def test_audit_log_is_append_only_for_runtime_roles(
    owner: asyncpg.Connection, role: str
) -> None:
    """PLT-3: neither runtime role may UPDATE, DELETE or TRUNCATE audit rows (even by column)."""
    assert await owner.fetchval("SELECT has_table_privilege($1, 'audit_log', 'INSERT')", role)
    assert await owner.fetchval("SELECT has_table_privilege($1, 'audit_log', 'SELECT')", role)
    for privilege in ("UPDATE", "DELETE", "TRUNCATE"):
        assert not await owner.fetchval(
            "SELECT has_table_privilege($1, 'audit_log', $2)", role, privilege
        ), privilege
    assert not await owner.fetchval(
        "SELECT has_any_column_privilege($1, 'audit_log', 'UPDATE')", role
    )


async def test_migrated_database_passes_every_check(owner: asyncpg.Connection) -> None:
    """PLT-1: the whole checklist in one place, as CI reports it."""
    assert await all_problems(owner) == []


# ---- the checkers catch what they must (scratch tables, rolled back) -------------------


async def _scratch(conn: asyncpg.Connection, *ddl: str) -> list[str]:
    """Run DDL in a transaction, collect every problem, roll everything back."""
    tx = conn.transaction()
    await tx.start()
    try:
        for statement in ddl:
            await conn.execute(statement)
        return await all_problems(conn)
    finally:
        await tx.rollback()


def _scratch_name() -> str:
    return f"scratch_{uuid.uuid4().hex[:8]}"


async def test_checker_accepts_a_correct_scratch_table(owner: asyncpg.Connection) -> None:
    """Self-check: a table made the canonical way passes, so the negatives below are fair."""
    t = _scratch_name()
    problems = await _scratch(
        owner,
        f"CREATE TABLE {t} (tenant_id uuid REFERENCES tenants (id), id uuid,"
        f" code text, PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, code))",
        f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY p ON {t} USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})",
    )
    assert problems == []


async def test_checker_rejects_using_true(owner: asyncpg.Connection) -> None:
    """Self-check: ``USING (true)`` is a policy in name only; the checker must say so."""
    t = _scratch_name()
    problems = await _scratch(
        owner,
        f"CREATE TABLE {t} (tenant_id uuid, id uuid, PRIMARY KEY (tenant_id, id))",
        f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY p ON {t} USING (true) WITH CHECK (true)",
    )
    assert any(f"{t}.p: USING 'true'" in p for p in problems), problems
    assert any(f"{t}.p: WITH CHECK 'true'" in p for p in problems), problems


async def test_checker_rejects_missing_or_partial_rls(owner: asyncpg.Connection) -> None:
    """Self-check: no FORCE, no WITH CHECK, a SELECT-only policy, a second policy."""
    bare, unforced, partial = _scratch_name(), _scratch_name(), _scratch_name()
    problems = await _scratch(
        owner,
        f"CREATE TABLE {bare} (tenant_id uuid, id uuid, PRIMARY KEY (tenant_id, id))",
        f"CREATE TABLE {unforced} (tenant_id uuid, id uuid, PRIMARY KEY (tenant_id, id))",
        f"ALTER TABLE {unforced} ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY p ON {unforced} USING ({TENANT_PREDICATE})",
        f"CREATE TABLE {partial} (tenant_id uuid, id uuid, PRIMARY KEY (tenant_id, id))",
        f"ALTER TABLE {partial} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {partial} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY p ON {partial} FOR SELECT USING ({TENANT_PREDICATE})",
        f"CREATE POLICY q ON {partial} TO {PLATFORM_ROLE} USING ({TENANT_PREDICATE})"
        f" WITH CHECK ({TENANT_PREDICATE})",
    )
    assert f"{bare}: row-level security not enabled" in problems
    assert f"{bare}: 0 policies, expected exactly one" in problems
    assert f"{unforced}: row-level security not forced" in problems
    assert any(p.startswith(f"{unforced}.p: WITH CHECK None") for p in problems), problems
    assert f"{partial}: 2 policies, expected exactly one" in problems
    assert f"{partial}.p: applies to command 'r', not ALL" in problems
    assert f"{partial}.q: applies neither to PUBLIC nor to {APP_ROLE}" in problems


async def test_checker_rejects_keys_without_tenant_id(owner: asyncpg.Connection) -> None:
    """Self-check: a global barcode, an id-only key, a cross-tenant FK, a bare unique index."""
    t, child = _scratch_name(), _scratch_name()
    policy = f"USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})"
    problems = await _scratch(
        owner,
        f"CREATE TABLE {t} (tenant_id uuid, id uuid PRIMARY KEY, barcode text UNIQUE,"
        f" sku text, UNIQUE (tenant_id, id))",
        f"CREATE UNIQUE INDEX {t}_sku ON {t} (sku)",
        f"CREATE TABLE {child} (tenant_id uuid, id uuid, parent_id uuid, other uuid,"
        f" PRIMARY KEY (tenant_id, id),"
        f" FOREIGN KEY (parent_id) REFERENCES {t} (id),"
        f" FOREIGN KEY (other, parent_id) REFERENCES {t} (tenant_id, id),"
        f" FOREIGN KEY (tenant_id) REFERENCES {t} (id))",
        *(
            stmt
            for table in (t, child)
            for stmt in (
                f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
                f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
                f"CREATE POLICY p ON {table} {policy}",
            )
        ),
    )
    mine = [p for p in problems if p.startswith((f"{t}:", f"{child}:"))]
    assert any(f"{t}: primary key" in p and "lacks tenant_id" in p for p in mine), mine
    assert any(f"{t}: unique key" in p and "('barcode',) lacks tenant_id" in p for p in mine)
    assert any(f"{t}: unique index {t}_sku" in p for p in mine), mine
    assert any(f"{child}: foreign key" in p and "('parent_id',) lacks" in p for p in mine)
    # tenant_id is among the columns but paired with the parent's id: still cross-tenant.
    assert any(f"{child}: foreign key" in p and "('tenant_id',) pairs" in p for p in mine)
    assert any(f"{child}: foreign key" in p and "('other', 'parent_id') lacks" in p for p in mine)
    assert len(mine) == 6, mine


async def test_checker_rejects_an_unclassified_table(owner: asyncpg.Connection) -> None:
    """Self-check: a table with neither tenant_id nor a place on the global list fails."""
    t = _scratch_name()
    problems = await _scratch(owner, f"CREATE TABLE {t} (id uuid PRIMARY KEY)")
    assert problems == [f"{t}: neither global nor tenant-scoped"]
