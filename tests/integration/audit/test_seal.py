"""Audit sealing and verification against the real Postgres (PLT-3).

Audit rows are written by real use cases (as ``shopkeeper_app``); the sealer runs as
``shopkeeper_platform``; the tampering is done as the schema owner, the only role that may
rewrite ``audit_log`` (the runtime roles cannot, by design). Each tampering test uses a
fresh tenant and its own anchor directory, and checks that verification names the first
thing that no longer matches.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

from adapters.postgres.audit.seals import PostgresAuditChainStore
from adapters.storage.anchors import FileAuditAnchorStore
from application.audit.sealing import AuditChainDiverged, AuditSealer
from application.audit.verify import VerifyAuditChain
from application.identity.access_admin import CreateRole, NewRole
from bootstrap import Container
from bootstrap.settings import Settings
from domain.audit.chain import AUDIT_COLUMNS, AuditAnchor, AuditRowImage, next_digest
from domain.audit.verification import ChainReport, Finding
from domain.shared.audit import AuditEntry
from tests.conftest import TenantFactory, TenantHandle, cli_env
from tests.reliability.figures import figure
from tests.support.cli import shopkeeper as in_process
from tests.support.databases import TestDatabase


@dataclass
class Chain:
    """A sealer and a verifier sharing one anchor directory of this test's own."""

    anchors: FileAuditAnchorStore
    anchor_dir: Path
    sealer: AuditSealer
    verify: VerifyAuditChain


@pytest.fixture
def chain(container: Container, tmp_path: Path) -> Chain:
    store = PostgresAuditChainStore(container.platform_engine)
    anchor_dir = tmp_path / "anchors"
    anchors = FileAuditAnchorStore(anchor_dir)
    return Chain(anchors, anchor_dir, AuditSealer(store, anchors), VerifyAuditChain(store, anchors))


@pytest.fixture
async def owner(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


async def add_audited_changes(tenant: TenantHandle, count: int) -> None:
    """Each custom role created through the real use case leaves one audit row."""
    for _ in range(count):
        key = f"r_{uuid.uuid4().hex[:10]}"
        await tenant.container.use_cases.run(
            tenant.admin_context, CreateRole(NewRole(key, f"Role {key}", ["customers:read"]))
        )


async def audit_ids(owner: asyncpg.Connection, tenant: TenantHandle) -> list[uuid.UUID]:
    rows = await owner.fetch(
        "SELECT id FROM audit_log WHERE tenant_id = $1 ORDER BY occurred_at, id", tenant.id
    )
    return [r["id"] for r in rows]


async def digests(owner: asyncpg.Connection, tenant: TenantHandle) -> list[asyncpg.Record]:
    return await owner.fetch(
        "SELECT seq, previous_digest, digest, row_ids, row_hashes, first_occurred_at,"
        " last_occurred_at FROM audit_digests WHERE tenant_id = $1 ORDER BY seq",
        tenant.id,
    )


async def sealed_tenant(chain: Chain, tenant: TenantHandle, batches: tuple[int, ...]) -> None:
    """Audited changes in batches, sealing after each: one digest per batch."""
    for count in batches:
        await add_audited_changes(tenant, count)
        result = await chain.sealer.seal_tenant(tenant.id)
        assert result.error is None and len(result.digests) == 1, result


def assert_problem(
    report: ChainReport, finding: Finding, *, seq: int | None, audit_id: uuid.UUID | None
) -> None:
    """A tampering was detected as ``finding`` (and counted as such for R11)."""
    named = report.problem is not None and report.problem.finding is finding
    figure("R11", "tamperings detected", int(not report.ok and named), 1)
    assert not report.ok, report.summary()
    assert report.problem is not None
    assert report.problem.finding is finding, report.problem
    assert report.problem.seq == seq, report.problem
    assert report.problem.audit_id == audit_id, report.problem
    assert report.summary().startswith("TAMPERED: ")


# ---- sealing -------------------------------------------------------------------------


async def test_sealing_chains_new_rows_and_verification_holds(
    chain: Chain, tenant: TenantHandle, owner: asyncpg.Connection
) -> None:
    await add_audited_changes(tenant, 3)
    first = await chain.sealer.seal_tenant(tenant.id)
    assert first.digests == (1,) and first.rows == 4  # tenant.create + 3 roles

    await add_audited_changes(tenant, 2)
    second = await chain.sealer.seal_tenant(tenant.id)
    assert second.digests == (2,) and second.rows == 2
    nothing = await chain.sealer.seal_tenant(tenant.id)
    assert nothing.digests == () and nothing.newest_seq == 2

    report = await chain.verify(tenant.id)
    assert report.ok, report.summary()
    assert report.summary() == "ok: 6 rows in 2 digests"

    # Every audit row is covered by exactly one digest, named in (occurred_at, id) order.
    chain_rows = await digests(owner, tenant)
    named = [row_id for d in chain_rows for row_id in d["row_ids"]]
    assert named == await audit_ids(owner, tenant)
    seals = await owner.fetch(
        "SELECT audit_id, digest_seq FROM audit_seals WHERE tenant_id = $1", tenant.id
    )
    assert {r["audit_id"]: r["digest_seq"] for r in seals} == {
        row_id: d["seq"] for d in chain_rows for row_id in d["row_ids"]
    }
    assert chain_rows[0]["previous_digest"] is None
    assert chain_rows[1]["previous_digest"] == chain_rows[0]["digest"]
    # The newest digest is also outside the database.
    anchor = await chain.anchors.read(tenant.id)
    assert anchor == AuditAnchor(2, bytes(chain_rows[1]["digest"]))


async def test_seal_all_finds_only_tenants_with_new_rows(
    chain: Chain, container: Container, new_tenant: TenantFactory
) -> None:
    quiet, busy = await new_tenant(), await new_tenant()
    await chain.sealer.seal_tenant(quiet.id)
    await chain.sealer.seal_tenant(busy.id)
    store = PostgresAuditChainStore(container.platform_engine)
    pending = await store.tenants_with_unsealed_rows(timedelta(minutes=2))
    assert quiet.id not in pending and busy.id not in pending

    await add_audited_changes(busy, 1)
    pending = await store.tenants_with_unsealed_rows(timedelta(minutes=2))
    assert busy.id in pending and quiet.id not in pending
    results = {r.tenant_id: r for r in await chain.sealer.seal_all()}
    assert results[busy.id].digests == (2,)
    assert quiet.id not in results


async def test_a_row_committing_late_is_sealed_by_the_next_digest(
    chain: Chain, container: Container, tenant: TenantHandle, owner: asyncpg.Connection
) -> None:
    """A transaction stamps its audit row, a newer row commits and is sealed, then the
    first transaction commits: the next digest seals the late row; verification holds."""
    await add_audited_changes(tenant, 1)
    async with container.uow_factory.for_tenant(tenant.admin_context) as slow:  # app role
        await slow.audit.record(AuditEntry("probe.slow_transaction", "probe", None))
        await add_audited_changes(tenant, 1)  # newer, committed first
        sealed = await chain.sealer.seal_tenant(tenant.id)
        assert sealed.digests == (1,)
        await slow.commit()
    late = await owner.fetchrow(
        "SELECT id, occurred_at FROM audit_log WHERE tenant_id = $1"
        " AND action = 'probe.slow_transaction'",
        tenant.id,
    )
    first = (await digests(owner, tenant))[0]
    assert late["id"] not in first["row_ids"]
    assert late["occurred_at"] < first["last_occurred_at"]  # older than what is sealed

    report = await chain.verify(tenant.id)
    assert report.ok and report.pending_rows == 1, report.summary()
    again = await chain.sealer.seal_tenant(tenant.id)
    assert again.digests == (2,) and again.rows == 1
    assert (
        await owner.fetchval(
            "SELECT digest_seq FROM audit_seals WHERE tenant_id = $1 AND audit_id = $2",
            tenant.id,
            late["id"],
        )
        == 2
    )
    report = await chain.verify(tenant.id)
    assert report.ok and report.pending_rows == 0, report.summary()


async def test_the_columns_the_seal_covers_are_every_column_of_audit_log(
    owner: asyncpg.Connection,
) -> None:
    """A new audit_log column must be added to the canonical encoding, or it escapes."""
    columns = await owner.fetch(
        "SELECT attname FROM pg_attribute WHERE attrelid = 'audit_log'::regclass"
        " AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
    )
    assert tuple(r["attname"] for r in columns) == AUDIT_COLUMNS


# ---- the five tamperings ---------------------------------------------------------------


async def test_an_edited_row_is_named(
    chain: Chain, tenant: TenantHandle, owner: asyncpg.Connection
) -> None:
    await sealed_tenant(chain, tenant, (2, 2))
    victim = (await digests(owner, tenant))[0]["row_ids"][1]
    await owner.execute(
        'UPDATE audit_log SET detail = \'{"note": "nothing happened"}\'::jsonb'
        " WHERE tenant_id = $1 AND id = $2",
        tenant.id,
        victim,
    )
    report = await chain.verify(tenant.id)
    assert_problem(report, Finding.ROW_CHANGED, seq=1, audit_id=victim)
    assert f"audit row {victim} sealed by digest seq 1 was changed" in report.problem.message


async def test_a_deleted_row_is_named(
    chain: Chain, tenant: TenantHandle, owner: asyncpg.Connection
) -> None:
    await sealed_tenant(chain, tenant, (2, 2))
    victim = (await digests(owner, tenant))[1]["row_ids"][0]
    await owner.execute("DELETE FROM audit_log WHERE tenant_id = $1 AND id = $2", tenant.id, victim)
    report = await chain.verify(tenant.id)
    assert_problem(report, Finding.ROW_MISSING, seq=2, audit_id=victim)
    assert "was deleted" in report.problem.message


@pytest.mark.parametrize("swap", ["occurred_at", "id"])
async def test_reordered_rows_are_named(
    chain: Chain, tenant: TenantHandle, owner: asyncpg.Connection, swap: str
) -> None:
    await sealed_tenant(chain, tenant, (3,))
    first, second = (await digests(owner, tenant))[0]["row_ids"][1:3]
    async with owner.transaction():
        if swap == "occurred_at":
            await owner.execute(
                "UPDATE audit_log a SET occurred_at = b.occurred_at FROM audit_log b"
                " WHERE a.tenant_id = $1 AND b.tenant_id = $1 AND ((a.id = $2 AND b.id = $3)"
                " OR (a.id = $3 AND b.id = $2))",
                tenant.id,
                first,
                second,
            )
        else:
            parked = uuid.uuid4()
            for old, new in ((first, parked), (second, first), (parked, second)):
                await owner.execute(
                    "UPDATE audit_log SET id = $3 WHERE tenant_id = $1 AND id = $2",
                    tenant.id,
                    old,
                    new,
                )
    report = await chain.verify(tenant.id)
    assert_problem(report, Finding.ROWS_REORDERED, seq=1, audit_id=first)
    assert "no longer in their sealed order" in report.problem.message


async def _tenant_with_history(
    chain: Chain, tenant: TenantHandle, owner: asyncpg.Connection
) -> list[asyncpg.Record]:
    """Rows from an hour ago (before sealing began) sealed into digest 1, then today's
    rows into digest 2: digest 1's range lies well outside the late-commit tolerance."""
    for minutes in (62, 61, 60):
        await owner.execute(
            "INSERT INTO audit_log (tenant_id, id, occurred_at, actor, action, entity_type,"
            " outcome) VALUES ($1, $2, now() - make_interval(mins => $3), 'user:historic',"
            " 'history.import', 'history', 'success')",
            tenant.id,
            uuid.uuid4(),
            minutes,
        )
    await chain.sealer.seal_tenant(tenant.id)  # seals history and tenant.create together
    await sealed_tenant(chain, tenant, (2,))
    return await digests(owner, tenant)


async def _forge_row(
    owner: asyncpg.Connection, tenant: TenantHandle, between: tuple[object, object]
) -> uuid.UUID:
    forged = uuid.uuid4()
    await owner.execute(
        "INSERT INTO audit_log (tenant_id, id, occurred_at, actor, action, entity_type, outcome)"
        " VALUES ($1, $2, $3::timestamptz + ($4::timestamptz - $3::timestamptz) / 2,"
        " 'user:someone', 'role.delete', 'role', 'success')",
        tenant.id,
        forged,
        *between,
    )
    return forged


async def test_a_row_inserted_into_a_sealed_range_is_named(
    chain: Chain, tenant: TenantHandle, owner: asyncpg.Connection
) -> None:
    chain_rows = await _tenant_with_history(chain, tenant, owner)
    first = chain_rows[0]
    forged = await _forge_row(
        owner, tenant, (first["first_occurred_at"], first["last_occurred_at"])
    )
    # The sealer never seals it silently...
    assert (await chain.sealer.seal_tenant(tenant.id)).digests == ()
    # ...and verification names it.
    report = await chain.verify(tenant.id)
    assert_problem(report, Finding.ROW_INSERTED, seq=2, audit_id=forged)
    assert "inserted after sealing" in report.problem.message


async def test_a_row_inserted_with_a_forged_seal_entry_is_named(
    chain: Chain, tenant: TenantHandle, owner: asyncpg.Connection
) -> None:
    chain_rows = await _tenant_with_history(chain, tenant, owner)
    first = chain_rows[0]
    forged = await _forge_row(
        owner, tenant, (first["first_occurred_at"], first["last_occurred_at"])
    )
    await owner.execute(
        "INSERT INTO audit_seals (tenant_id, audit_id, digest_seq) VALUES ($1, $2, 1)",
        tenant.id,
        forged,
    )
    report = await chain.verify(tenant.id)
    assert_problem(report, Finding.SEAL_MISMATCH, seq=1, audit_id=forged)


async def test_deleting_the_newest_rows_with_their_digest_is_detected_by_the_cli(
    chain: Chain, settings: Settings, tenant: TenantHandle, owner: asyncpg.Connection
) -> None:
    """Through the CLI (in-process, tests.support.cli): seal, verify ok, delete the newest
    digest and its rows, verify fails (exit 1) naming the digest the anchor outside the
    database still holds."""
    env = {**cli_env(settings), "SHOPKEEPER_AUDIT_ANCHOR_DIR": str(chain.anchor_dir)}
    await add_audited_changes(tenant, 2)
    sealed = await in_process(env, "audit", "seal", "--tenant", tenant.slug)
    assert sealed.returncode == 0, sealed.stderr
    assert f"{tenant.slug}: sealed 3 rows into digest seq 1" in sealed.stdout
    await add_audited_changes(tenant, 2)
    assert (await in_process(env, "audit", "seal", "--tenant", tenant.slug)).returncode == 0
    ok = await in_process(env, "audit", "verify", "--tenant", tenant.slug)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.strip() == "ok: 5 rows in 2 digests"

    newest = (await digests(owner, tenant))[-1]
    async with owner.transaction():
        await owner.execute(
            "DELETE FROM audit_log WHERE tenant_id = $1 AND id = ANY($2::uuid[])",
            tenant.id,
            newest["row_ids"],
        )
        await owner.execute(
            "DELETE FROM audit_digests WHERE tenant_id = $1 AND seq = 2", tenant.id
        )  # its seal entries go with it (ON DELETE CASCADE)
    # What is left is a consistent chain, but the anchor outside knows better.
    tampered = await in_process(env, "audit", "verify", "--tenant", tenant.slug)
    detected = tampered.returncode == 1 and "finding: newest_deleted" in tampered.stdout
    figure("R11", "tamperings detected", int(detected), 1)
    assert tampered.returncode == 1, tampered.stdout + tampered.stderr
    assert tampered.stdout.startswith("TAMPERED: ")
    assert "names digest seq 2, but the newest digest in the database is seq 1" in tampered.stdout
    assert "finding: newest_deleted" in tampered.stdout

    # The sealer refuses to bury the evidence under new digests.
    await add_audited_changes(tenant, 1)
    refused = await in_process(env, "audit", "seal", "--tenant", tenant.slug)
    assert refused.returncode == 2 and "audit_chain_diverged" in refused.stderr
    with pytest.raises(AuditChainDiverged):
        await chain.sealer.seal_tenant(tenant.id)
    assert [d["seq"] for d in await digests(owner, tenant)] == [1]


async def test_a_rewritten_chain_does_not_match_its_anchor(
    chain: Chain, tenant: TenantHandle, owner: asyncpg.Connection
) -> None:
    """An attacker edits a row and recomputes the digest (SHA-256 needs no secret): the
    chain in the database is consistent again, but not with the anchor outside it."""
    await sealed_tenant(chain, tenant, (2,))
    victim = (await digests(owner, tenant))[0]["row_ids"][0]
    await owner.execute(
        "UPDATE audit_log SET actor = 'user:nobody' WHERE tenant_id = $1 AND id = $2",
        tenant.id,
        victim,
    )
    rows = await owner.fetch(
        "SELECT tenant_id, id, occurred_at, actor, action, entity_type, entity_id, outcome,"
        " changes::text, detail::text, request_id, ip::text FROM audit_log"
        " WHERE tenant_id = $1",
        tenant.id,
    )
    forged = next_digest(None, [AuditRowImage(*r.values()) for r in rows])
    await owner.execute(
        "UPDATE audit_digests SET digest = $2, row_hashes = $3 WHERE tenant_id = $1 AND seq = 1",
        tenant.id,
        forged.digest,
        list(forged.row_hashes),
    )
    report = await chain.verify(tenant.id)
    assert_problem(report, Finding.ANCHOR_MISMATCH, seq=1, audit_id=None)


async def test_an_unreadable_anchor_is_reported(chain: Chain, tenant: TenantHandle) -> None:
    await sealed_tenant(chain, tenant, (1,))
    (chain.anchor_dir / f"{tenant.id}.anchor.json").write_text("{not json")
    report = await chain.verify(tenant.id)
    assert report.problem is not None and report.problem.finding is Finding.ANCHOR_UNREADABLE
