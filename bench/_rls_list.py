"""P4: what row-level security costs a tenant-scoped list query. The orders list
(``ListOrders``, its first page) is run once through the application while the statements
it sends are captured at the driver (``bench/_replay.py``); then its reads — each already
filtering by ``tenant_id`` explicitly, as every adapter's statement does; not the access
audit's record — are sent again with the same arguments, in turns, on two connections: as
``shopkeeper_app``, where the forced policies apply, and as the superuser, which bypasses
row-level security. The only difference is RLS; both answer the same rows (checked).
Another company's orders share the tables. Goal: RLS at least 0.9 of the plain rate
(median transaction time over median transaction time).
"""

from __future__ import annotations

import logging
import re
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import asyncpg
import structlog

from application.orders.queries import ListOrders
from bench._figures import Figure, record
from bench._replay import Replay, Sent, capturing
from bench._setup import BenchTenant

GOAL = 0.9
READ = re.compile(r"\s*(SET|SELECT)\b", re.IGNORECASE)


@contextmanager
def _quiet() -> Iterator[None]:
    """Warnings off: the seeded orders' receivers are placeholders that do not decrypt
    (``orders_analytics.seed``), and the list would log each."""
    saved = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))
    try:
        yield
    finally:
        structlog.configure(**saved)


async def _listed(conn: asyncpg.Connection, statements: list[Sent]) -> list[Any]:
    """The captured transaction again; the last statement's rows."""
    rows: list[Any] = []
    async with conn.transaction():
        for sent in statements:
            if sent.prepared:
                rows = await conn.fetch(sent.query, *sent.args)
            else:
                await conn.execute(sent.query)
    return rows


async def rls_versus_filter(bench: BenchTenant, runs: int) -> bool:
    container = bench.container
    with _quiet():
        await container.use_cases.query(bench.ctx, ListOrders())  # warm: caches, statements
        with capturing(container.ids) as (sent, generated):
            page = await container.use_cases.query(bench.ctx, ListOrders())
    # the reads: the tenant setting and the queries (not the access audit's insert)
    captured = Replay.of(sent, generated, container.ids).statements
    statements = [s for s in captured if READ.match(s.query)]
    unfiltered = [s.query for s in statements if s.args and "tenant_id" not in s.query]
    assert not unfiltered, f"a statement without its explicit tenant filter: {unfiltered}"
    secured, plain = await asyncpg.connect(bench.app_url), await asyncpg.connect(bench.admin_url)
    try:
        same = await _listed(secured, statements) == await _listed(plain, statements)
        assert same, "RLS on and off answered different rows"
        seconds: dict[str, list[float]] = {"rls": [], "plain": []}
        for _ in range(runs):
            for side, conn in (("rls", secured), ("plain", plain)):
                started = time.perf_counter()
                await _listed(conn, statements)
                seconds[side].append(time.perf_counter() - started)
    finally:
        await secured.close()
        await plain.close()
    rls, off = (statistics.median(seconds[s]) * 1000 for s in ("rls", "plain"))
    p95 = {s: statistics.quantiles(v, n=20)[-1] * 1000 for s, v in seconds.items()}
    ratio = off / rls
    print(
        f"P4 orders list, first page ({len(page.items)} orders, {len(statements)} statements),"
        f" {runs} runs a side: RLS on {rls:.2f} ms (p95 {p95['rls']:.2f}), explicit filter"
        f" with RLS off {off:.2f} ms (p95 {p95['plain']:.2f}); ratio {ratio:.2f}"
    )
    met = ratio >= GOAL
    record(
        Figure(
            "P4",
            "orders list page under forced RLS vs the same statements with RLS off",
            round(rls, 2),
            "ms (median)",
            round(off, 2),
            round(ratio, 3),
            f"ratio >= {GOAL:.2f}",
            met,
            {"p95_ms": round(p95["rls"], 2), "baseline_p95_ms": round(p95["plain"], 2)},
        )
    )
    return met
