"""Product search (CAT-12) on a large catalog, beside a LIKE baseline on the same data.

1,000,000 products in 10 tenants (100,000 each; ``BENCH_SCALE`` scales them), each with
1–3 SKUs with codes and GTIN-13 barcodes, and the search terms the domain's
``product_terms`` gives them; loaded by COPY as the owner into a throwaway database.
Then, as ``shopkeeper_app`` under RLS with the tenant set as the unit of work sets it, a
shuffled mix of two-character Chinese, longer Chinese, SKU-code prefix and barcode queries
(``BENCH_QUERIES`` of each kind, 200 by default), first through ``SearchProducts``
(``container.use_cases``) — the application's own path, page of 50 — and then as ``LIKE``
/ ``=`` queries returning the same page. Goal: p95 < 50 ms.

    make bench                                   # every benchmark, full scale
    BENCH_SCALE=0.01 .tools/bin/uv run --frozen python -m bench catalog_search
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import random
import signal
import statistics
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import text

from adapters.postgres.catalog.products import PostgresProductRepository
from application.catalog.ports.repositories import ProductFilters, ProductSearchTerms
from application.catalog.products import SEARCH_BATCH, SearchProducts
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.pagination import DEFAULT_LIMIT
from bench._database import BenchDatabase, bench_database
from bench._search_data import LONGER_QUERIES, TWO_CHARACTER_QUERIES, encoded_chunk
from bootstrap import Container, build_container
from bootstrap.event_loop import use_uvloop
from bootstrap.settings import Settings
from domain.catalog.search_terms import search_query
from domain.identity.permissions import BUILTIN_ROLES

TENANTS = 10
PRODUCTS_PER_TENANT = 100_000
CHUNK = 5_000  # products a COPY round; tenants' chunks alternate, as concurrent writers'
GOAL_P95_MS = 50.0
LOADED_TABLES = ("products", "skus", "product_search_terms")
PRODUCT_COLUMNS = (
    "tenant_id",
    "id",
    "code",
    "code_key",
    "name",
    "kind",
    "lifecycle",
    "archived_at",
    "created_at",
    "updated_at",
)
SKU_COLUMNS = (
    "tenant_id",
    "id",
    "product_id",
    "position",
    "code",
    "code_key",
    "barcode",
    "barcode_key",
    "list_price",
)
TERM_COLUMNS = ("tenant_id", "term", "product_id")
KINDS = {
    "two_character": "two-character Chinese (蓝牙)",
    "longer": "longer Chinese (蓝牙耳机)",
    "sku_prefix": "SKU-code prefix",
    "barcode": "barcode (GTIN-13)",
}


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


@dataclass
class Loaded:
    tenant_id: uuid.UUID
    per_tenant: int
    sku_codes: list[str] = field(default_factory=list)
    barcodes: list[str] = field(default_factory=list)
    products: int = 0
    skus: int = 0
    terms: int = 0


# ---- load ----------------------------------------------------------------------------


async def _drop_keys(conn: asyncpg.Connection) -> list[str]:
    """Drop the keys, foreign keys and indexes of the loaded tables (and the foreign keys
    pointing at them); return the statements that rebuild them exactly as migrated."""
    tables = list(LOADED_TABLES)
    constraints = await conn.fetch(
        "SELECT conname, contype::text AS contype, conrelid::regclass::text AS tbl,"
        " pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype IN ('p', 'u', 'f')"
        " AND (conrelid = ANY($1::regclass[]) OR confrelid = ANY($1::regclass[]))",
        tables,
    )
    indexes = await conn.fetch(
        "SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS def"
        " FROM pg_index i WHERE indrelid = ANY($1::regclass[]) AND NOT EXISTS"
        " (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid"
        " AND c.contype IN ('p', 'u'))",
        tables,
    )
    foreign = [c for c in constraints if c["contype"] == "f"]
    keys = [c for c in constraints if c["contype"] != "f"]
    for c in [*foreign, *keys]:
        await conn.execute(f'ALTER TABLE {c["tbl"]} DROP CONSTRAINT "{c["conname"]}"')
    for i in indexes:
        await conn.execute(f"DROP INDEX {i['name']}")
    return [
        *(f'ALTER TABLE {c["tbl"]} ADD CONSTRAINT "{c["conname"]}" {c["def"]}' for c in keys),
        *(i["def"] for i in indexes),
        *(f'ALTER TABLE {c["tbl"]} ADD CONSTRAINT "{c["conname"]}" {c["def"]}' for c in foreign),
    ]


async def _copy(conn: asyncpg.Connection, table: str, columns: Sequence[str], data: bytes) -> None:
    async def pieces() -> Any:
        step = 1 << 20
        for i in range(0, len(data), step):
            yield data[i : i + step]

    await conn.copy_to_table(table, source=pieces(), columns=list(columns), format="text")


async def load(db: BenchDatabase, scale: float, workers: int) -> Loaded:
    per_tenant = max(1, round(PRODUCTS_PER_TENANT * scale))
    tenants = [uuid.UUID(int=random.Random(i).getrandbits(128), version=4) for i in range(TENANTS)]
    loaded = Loaded(tenants[0], per_tenant)
    print(
        f"Loading {per_tenant * TENANTS:,} products in {TENANTS} tenants"
        f" ({per_tenant:,} each; measured: tenant 1) with {workers} generator process(es) …",
        flush=True,
    )
    started = time.perf_counter()
    conn = await asyncpg.connect(db.owner_url)
    try:
        await conn.execute(
            "SET maintenance_work_mem = '1GB'; SET work_mem = '256MB'; SET synchronous_commit = off"
        )
        await conn.executemany(
            "INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3)",
            [(t, f"bench-{i + 1}", f"Bench tenant {i + 1}") for i, t in enumerate(tenants)],
        )
        rebuild = await _drop_keys(conn)
        jobs = [
            (index, start, min(CHUNK, per_tenant - start))
            for start in range(0, per_tenant, CHUNK)
            for index in range(TENANTS)
        ]
        context = multiprocessing.get_context("spawn")
        # The workers ignore Ctrl-C: the loader stops them and drops the database.
        pool = ProcessPoolExecutor(
            workers, mp_context=context, initializer=signal.signal,
            initargs=(signal.SIGINT, signal.SIG_IGN),
        )  # fmt: skip
        try:
            pending: deque[tuple[int, Future[Any]]] = deque()
            done_products = 0
            reported = 0
            for index, start, count in jobs:
                pending.append(
                    (index, pool.submit(encoded_chunk, tenants[index], index + 1, start, count))
                )
                if len(pending) <= workers:
                    continue
                done_products += await _copy_next(conn, pending, loaded)
                if done_products * 10 // (per_tenant * TENANTS) > reported:
                    reported = done_products * 10 // (per_tenant * TENANTS)
                    print(
                        f"  {done_products:>9,} products copied"
                        f"  {time.perf_counter() - started:6.0f} s",
                        flush=True,
                    )
            while pending:
                done_products += await _copy_next(conn, pending, loaded)
        finally:
            pool.shutdown(cancel_futures=True)
        copied = time.perf_counter()
        print(f"  COPY done in {copied - started:.0f} s; rebuilding keys and indexes …", flush=True)
        for statement in rebuild:
            await conn.execute(statement)
        indexed = time.perf_counter()
        print(f"  keys and indexes in {indexed - copied:.0f} s; VACUUM ANALYZE …", flush=True)
        for table in LOADED_TABLES:
            await conn.execute(f"VACUUM (ANALYZE) {table}")
        finished = time.perf_counter()
        sizes = await conn.fetch(
            "SELECT t, pg_size_pretty(pg_total_relation_size(t::regclass)) AS size"
            " FROM unnest($1::text[]) AS t",
            list(LOADED_TABLES),
        )
    finally:
        await conn.close()
    print(
        f"Loaded {loaded.products:,} products, {loaded.skus:,} SKUs, {loaded.terms:,} search"
        f" terms in {finished - started:.0f} s (COPY {copied - started:.0f} s, keys and"
        f" indexes {indexed - copied:.0f} s, VACUUM ANALYZE {finished - indexed:.0f} s)",
        flush=True,
    )
    print("  sizes: " + ", ".join(f"{r['t']} {r['size']}" for r in sizes), flush=True)
    return loaded


async def _copy_next(
    conn: asyncpg.Connection, pending: deque[tuple[int, Future[Any]]], loaded: Loaded
) -> int:
    index, future = pending.popleft()
    products, skus, terms, sku_codes, barcodes, term_count = await asyncio.wrap_future(future)
    await _copy(conn, "products", PRODUCT_COLUMNS, products)
    await _copy(conn, "skus", SKU_COLUMNS, skus)
    await _copy(conn, "product_search_terms", TERM_COLUMNS, terms)
    count: int = products.count(b"\n")
    loaded.products += count
    loaded.skus += skus.count(b"\n")
    loaded.terms += term_count
    if index == 0:
        loaded.sku_codes.extend(sku_codes)
        loaded.barcodes.extend(barcodes)
    return count


# ---- queries -------------------------------------------------------------------------


def query_mix(loaded: Loaded, per_kind: int, seed: int) -> list[tuple[str, str]]:
    """``per_kind`` queries of each kind, shuffled. SKU prefixes are 5 characters to the
    whole code, as typed into a search box; barcodes are whole, as scanned."""
    rng = random.Random(seed)
    mix: list[tuple[str, str]] = []
    for i in range(per_kind):
        code = rng.choice(loaded.sku_codes)
        mix += [
            ("two_character", TWO_CHARACTER_QUERIES[i % len(TWO_CHARACTER_QUERIES)]),
            ("longer", LONGER_QUERIES[i % len(LONGER_QUERIES)]),
            ("sku_prefix", code[: rng.randint(5, len(code))]),
            ("barcode", rng.choice(loaded.barcodes)),
        ]
    rng.shuffle(mix)
    return mix


def _context(tenant_id: uuid.UUID) -> CallContext:
    # A warehouse user: catalog:read only, as a shop assistant searching would hold.
    return CallContext(
        tenant_id,
        Actor(ActorKind.USER, str(uuid.UUID(int=1))),
        BUILTIN_ROLES["warehouse"],
        "bench",
    )


Search = Callable[[str, str], Awaitable[list[uuid.UUID]]]


def shopkeeper_search(container: Container, tenant_id: uuid.UUID) -> Search:
    ctx = _context(tenant_id)

    async def search(kind: str, q: str) -> list[uuid.UUID]:
        page = await container.use_cases.query(
            ctx, SearchProducts.of(q, ProductFilters(), None, None)
        )
        return [v.product.id for v in page.items]

    return search


_BASELINE_PREDICATES = {
    "two_character": "name LIKE :pattern",
    "longer": "name LIKE :pattern",
    "sku_prefix": "(code LIKE :pattern OR id IN (SELECT product_id FROM skus"
    " WHERE tenant_id = :tenant_id AND code LIKE :pattern))",
    "barcode": "id IN (SELECT product_id FROM skus WHERE tenant_id = :tenant_id"
    " AND barcode = :barcode)",
}


def _baseline_params(kind: str, q: str) -> dict[str, str]:
    if kind == "barcode":
        return {"barcode": q}
    if kind == "sku_prefix":
        return {"pattern": q + "%"}
    return {"pattern": f"%{q}%"}


def like_search(container: Container, tenant_id: uuid.UUID) -> Search:
    """The same page the application returns (active products in id order, 50, with their
    SKUs), found by LIKE and '=' instead of the term table; same role, same tenant setting."""

    async def search(kind: str, q: str) -> list[uuid.UUID]:
        async with container.app_engine.connect() as conn, conn.begin():
            await conn.execute(
                text("SELECT set_config('app.tenant_id', :tenant, true)"),
                {"tenant": str(tenant_id)},
            )
            rows = (
                await conn.execute(
                    text(
                        "SELECT id, code, name, description, material, kind, preorder_allowed,"
                        " sell_out_of_stock_allowed, product_type_id, category_id, brand_id,"
                        " attributes, lifecycle, archived_at, version, created_at, updated_at"
                        " FROM products WHERE tenant_id = :tenant_id AND archived_at IS NULL"
                        f" AND {_BASELINE_PREDICATES[kind]} ORDER BY id LIMIT :limit"
                    ),
                    {"tenant_id": tenant_id, "limit": DEFAULT_LIMIT + 1}
                    | _baseline_params(kind, q),
                )
            ).all()
            ids = [r.id for r in rows[:DEFAULT_LIMIT]]
            await conn.execute(
                text(
                    "SELECT product_id, id, code, barcode, axis_values, list_price, cost,"
                    " weight_grams, archived FROM skus WHERE tenant_id = :tenant_id"
                    " AND product_id = ANY(CAST(:ids AS uuid[])) ORDER BY product_id, position"
                ),
                {"tenant_id": tenant_id, "ids": ids},
            )
            return ids

    return search


async def like_count(container: Container, tenant_id: uuid.UUID, kind: str, q: str) -> int:
    async with container.app_engine.connect() as conn, conn.begin():
        await conn.execute(
            text("SELECT set_config('app.tenant_id', :tenant, true)"), {"tenant": str(tenant_id)}
        )
        value = await conn.scalar(
            text(
                "SELECT count(*) FROM products WHERE tenant_id = :tenant_id"
                f" AND archived_at IS NULL AND {_BASELINE_PREDICATES[kind]}"
            ),
            {"tenant_id": tenant_id} | _baseline_params(kind, q),
        )
        return int(value or 0)


async def timed(
    search: Search, mix: Sequence[tuple[str, str]]
) -> list[tuple[str, str, float, list[uuid.UUID]]]:
    runs = []
    for kind, q in mix:
        begun = time.perf_counter()
        ids = await search(kind, q)
        runs.append((kind, q, (time.perf_counter() - begun) * 1000, ids))
    return runs


async def explain_two_character(container: Container, tenant_id: uuid.UUID) -> list[str]:
    """EXPLAIN ANALYZE of the adapter's own first search statement for 蓝牙, as
    shopkeeper_app with the tenant set."""
    captured: list[tuple[Any, dict[str, Any]]] = []

    class Capture:
        async def execute(self, statement: Any, params: Any = None) -> Any:
            captured.append((statement, dict(params)))
            raise _Captured

    wanted = search_query("蓝牙")
    terms = ProductSearchTerms(wanted.name_terms, frozenset())
    repository = PostgresProductRepository(Capture(), tenant_id)  # type: ignore[arg-type]
    with contextlib.suppress(_Captured):
        await repository.search(terms, ProductFilters(), None, SEARCH_BATCH)
    statement, params = captured[0]
    async with container.app_engine.connect() as conn, conn.begin():
        await conn.execute(
            text("SELECT set_config('app.tenant_id', :tenant, true)"), {"tenant": str(tenant_id)}
        )
        result = await conn.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {statement}"), params)
        return [row[0] for row in result]


class _Captured(Exception):
    pass


# ---- report --------------------------------------------------------------------------


def _p(values: Sequence[float], percent: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


async def measure(db: BenchDatabase, loaded: Loaded, per_kind: int) -> bool:
    with tempfile.TemporaryDirectory(prefix="shopkeeper-bench-") as scratch:
        settings = Settings(
            environment="development",
            database_url=db.app_url,
            migration_database_url=db.owner_url,
            platform_database_url=db.platform_url,
            redis_prefix=f"shopkeeper-bench:{db.name}:",
            keystore=Path(scratch) / "keystore",
            audit_anchor_dir=Path(scratch) / "anchors",
            log_level="warning",
        )
        container = build_container(settings)
        try:
            return await _measure(container, loaded, per_kind)
        finally:
            await container.aclose()


async def _measure(container: Container, loaded: Loaded, per_kind: int) -> bool:
    tenant = loaded.tenant_id
    ours, like = shopkeeper_search(container, tenant), like_search(container, tenant)
    warm_up = query_mix(loaded, max(5, per_kind // 10), seed=2)
    mix = query_mix(loaded, per_kind, seed=1)
    print(f"\nWarm-up: {len(warm_up)} queries each way; then {len(mix)} measured …", flush=True)
    await timed(ours, warm_up)
    await timed(like, warm_up)
    load_before = os.getloadavg()[0]
    shopkeeper = await timed(ours, mix)
    baseline = await timed(like, mix)
    load_after = os.getloadavg()[0]
    distinct = sorted(set(mix))
    counts = {(k, q): await like_count(container, tenant, k, q) for k, q in distinct}

    print(
        f"\nSearch: measured tenant {loaded.per_tenant:,} products of"
        f" {loaded.products:,} in {TENANTS} tenants; {per_kind} queries a kind, shuffled;"
        f" as shopkeeper_app under RLS; page of {DEFAULT_LIMIT}. Times in ms. Machine load"
        f" average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} cores."
    )
    header = (
        f"{'query kind':<30} {'Shopkeeper p50':>14} {'p95':>7} {'LIKE p50':>9} {'p95':>7}"
        f" {'results/page':>12} {'matches':>8} {'same page':>10}"
    )
    print(header)
    print("-" * len(header))
    met = True
    for kind, label in [*KINDS.items(), ("all", "all kinds (the mix)")]:
        ours_ms = [r[2] for r in shopkeeper if kind in ("all", r[0])]
        like_ms = [r[2] for r in baseline if kind in ("all", r[0])]
        pages = [
            (a[3], b[3]) for a, b in zip(shopkeeper, baseline, strict=True) if kind in ("all", a[0])
        ]
        same = sum(a == b for a, b in pages)
        results = statistics.mean(len(a) for a, _ in pages)
        matches = statistics.mean(counts[(k, q)] for k, q in mix if kind in ("all", k))
        p95 = _p(ours_ms, 95)
        met = met and p95 < GOAL_P95_MS
        print(
            f"{label:<30} {_p(ours_ms, 50):>14.1f} {p95:>7.1f} {_p(like_ms, 50):>9.1f}"
            f" {_p(like_ms, 95):>7.1f} {results:>12.1f} {matches:>8.0f}"
            f" {f'{same}/{len(pages)}':>10}"
        )
    slowest = sorted(shopkeeper, key=lambda r: r[2], reverse=True)[:5]
    print(
        "\nSlowest Shopkeeper queries: " + ", ".join(f"{q} {ms:.0f} ms" for _, q, ms, _ in slowest)
    )
    share = {q: counts[("two_character", q)] / loaded.per_tenant for q in TWO_CHARACTER_QUERIES}
    print(
        "\nTwo-character queries match "
        + ", ".join(f"{q} {v:.1%}" for q, v in share.items())
        + " of the tenant's products."
    )
    print(
        f"Goal: p95 < {GOAL_P95_MS:.0f} ms for every kind — {'MET' if met else 'NOT MET'}"
        " (Shopkeeper column)."
    )
    print("\nEXPLAIN (ANALYZE, BUFFERS) of the adapter's search statement for 蓝牙:")
    for line in await explain_two_character(container, tenant):
        print("  " + line)
    return met


async def run() -> bool:
    # SIGTERM stops the run the way Ctrl-C does: cancelled, the database dropped.
    task = asyncio.current_task()
    if task is not None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    scale = _env_number("BENCH_SCALE", 1.0)
    per_kind = int(_env_number("BENCH_QUERIES", 200))
    workers = int(_env_number("BENCH_WORKERS", min(2, os.cpu_count() or 1)))
    async with bench_database("search") as db:
        loaded = await load(db, scale, workers)
        return await measure(db, loaded, per_kind)


def main() -> bool:
    """Print the search figures; True when the goal is met."""
    try:
        return asyncio.run(run())
    except asyncio.CancelledError:
        raise KeyboardInterrupt from None


if __name__ == "__main__":
    use_uvloop()  # the loop the deployed processes run on (bootstrap/event_loop.py)
    raise SystemExit(0 if main() else 1)
