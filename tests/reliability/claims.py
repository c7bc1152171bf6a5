"""The claims of the fault and abuse suite (issue 13) and the tests that measure them.

A claim's tests live where their subject lives (the 500 buyers beside the orders API, the
catalog audit beside the schema checks) or here when they need the suite's own harness;
each records its figures (``tests.reliability.figures.figure``) under the claim's id.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Claim:
    id: str
    claim: str
    tests: tuple[str, ...]  # files (or file::test node ids) relative to the repository


CLAIMS: tuple[Claim, ...] = (
    Claim(
        "R1",
        "oversell: 1 SKU, stock 100, 500 concurrent HTTP buyers",
        ("tests/e2e/orders/test_concurrent_buyers.py",),
    ),
    Claim(
        "R2",
        "idempotency: every order sent three times (two at once, one after)",
        ("tests/reliability/test_idempotent_orders.py",),
    ),
    Claim(
        "R3",
        "database crash: a project-local PostgreSQL shut down immediately under order load",
        ("tests/reliability/test_database_crash.py",),
    ),
    Claim(
        "R4",
        "worker crash: kill -9 mid-batch of outbox events delivered to a webhook receiver",
        ("tests/integration/webhooks/test_crash.py",),
    ),
    Claim(
        "R5",
        "Redis loss: a project-local Redis flushed mid-run, then the outbox re-drive",
        ("tests/reliability/test_redis_loss.py",),
    ),
    Claim(
        "R6",
        "cross-tenant matrix from the OpenAPI document: read, update, delete with B's key",
        ("tests/e2e/platform/test_tenant_isolation_routes.py",),
    ),
    Claim(
        "R7",
        "pool leakage: interleaved requests of 50 tenants, injected mid-transaction errors",
        ("tests/reliability/test_pool_leakage.py",),
    ),
    Claim(
        "R8",
        "catalog audit: forced RLS on every tenant table; the request role's rights",
        ("tests/integration/platform/test_schema_catalog.py",),
    ),
    Claim(
        "R9",
        "schemathesis against the running service, authenticated, all checks",
        ("tests/e2e/platform/test_fuzzing.py",),
    ),
    Claim(
        "R10",
        "Hypothesis: money exact (no float), order totals balance with their lines",
        ("tests/unit/platform/test_money.py", "tests/unit/orders/test_order.py"),
    ),
    Claim(
        "R11",
        "audit chain: edit, delete, reorder, insert, delete the newest digest",
        ("tests/integration/audit/test_seal.py",),
    ),
    Claim(
        "R12",
        "tokens: forged, expired, alg none, wrong audience; login brute force",
        ("tests/e2e/identity/test_auth.py",),
    ),
)
