"""10,000 serials (唯一码) in one document (INV-8): a receipt scanning them in, a transfer
carrying them to a second warehouse (shipment and receipt, INV-5) and an issue scanning
them out through the use cases (``ReceiveStock``, ``ShipTransfer``, ``ReceiveTransfer``,
``IssueStock`` via the dispatcher: permission, settings, batch, the movements with their
ledger rows and cost, the serials as sets, their history, audit, events, commit) beside a
raw COPY of the same rows as the owner (the level and ledger row, the serials, their
history rows) for the receipt and the issue, printed side by side (the transfer has no
raw counterpart: "—"). Goal: each document in seconds, not minutes — under 5 s for 10,000
serials (users of ERPNext wait minutes for the same, erpnext#13116).

    .tools/bin/uv run --frozen python -m bench.inventory_serials [--serials N]

Creates its own migrated database on the local PostgreSQL and drops it at the end; needs
no Redis (events wait in the outbox).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from datetime import date, timedelta
from typing import Any

import asyncpg

from application.inventory.batches.settings import SetSkuStockSettings
from application.inventory.stock.movements import IssueStock, ReceiveStock
from application.inventory.transfers.commands import (
    ReceivedQuantities,
    ReceiveTransfer,
    RequestTransfer,
    ShipTransfer,
)
from bench._costing_data import make_skus, sku_id
from bench._setup import bench_tenant
from bootstrap.event_loop import use_uvloop

GOAL_SECONDS = 5.0
SERIALS = 10_000


async def raw_document(
    admin_url: str,
    tenant_id: uuid.UUID,
    sku: uuid.UUID,
    warehouse: uuid.UUID,
    serials: list[str],
    *,
    receipt: bool,
) -> float:
    """The same rows written by hand as the owner in one transaction: the level and its
    ledger row, then COPY of the serials (a receipt) or one UPDATE of them (an issue),
    then COPY of their history rows. Seconds."""
    conn = await asyncpg.connect(admin_url)
    try:
        started = time.perf_counter()
        async with conn.transaction():
            # A receipt upserts the level, an issue updates it (a CHECK is tested on
            # the row an upsert proposes, before its conflict is seen).
            level = (
                "INSERT INTO stock_levels (tenant_id, sku_id, warehouse_id, on_hand)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT ON CONSTRAINT stock_levels_key"
                " DO UPDATE SET on_hand = stock_levels.on_hand + EXCLUDED.on_hand"
                if receipt
                else "UPDATE stock_levels SET on_hand = on_hand + $4 WHERE tenant_id = $1"
                " AND sku_id = $2 AND warehouse_id = $3 AND batch_id IS NULL"
            )
            seq = await conn.fetchval(
                f"WITH moved AS ({level} RETURNING tenant_id)"
                " INSERT INTO stock_ledger (tenant_id, sku_id, warehouse_id, kind, d_on_hand,"
                " source_type, actor) SELECT tenant_id, $2, $3, $5, $4, 'bench', 'bench'"
                " FROM moved RETURNING seq",
                tenant_id,
                sku,
                warehouse,
                len(serials) if receipt else -len(serials),
                "receipt" if receipt else "issue",
            )
            if receipt:
                await conn.copy_records_to_table(
                    "stock_serials",
                    records=[(tenant_id, sku, s, "in_stock", warehouse) for s in serials],
                    columns=["tenant_id", "sku_id", "serial", "status", "warehouse_id"],
                )
            else:
                await conn.execute(
                    "UPDATE stock_serials SET status = 'issued' WHERE tenant_id = $1"
                    " AND sku_id = $2 AND serial = ANY($3::text[])",
                    tenant_id,
                    sku,
                    serials,
                )
            await conn.copy_records_to_table(
                "stock_serial_moves",
                records=[(tenant_id, sku, s, seq) for s in serials],
                columns=["tenant_id", "sku_id", "serial", "ledger_seq"],
            )
        return time.perf_counter() - started
    finally:
        await conn.close()


async def run(count: int) -> bool:
    async with bench_tenant("serials", 2) as bench:
        warehouse, destination = bench.warehouses
        await make_skus(bench, "S", 2)
        sku, raw_sku = sku_id("S", 0), sku_id("S", 1)
        uses, call = bench.container.use_cases, bench.ctx
        await uses.run(call, SetSkuStockSettings(sku, True, True, None, 0))
        serials = [f"SN{n:08d}" for n in range(count)]
        expiry = date.today() + timedelta(days=365)
        receipt = ReceiveStock(
            sku, warehouse, count, batch_no="B1", expiry_date=expiry, serials=serials
        )
        started = time.perf_counter()
        await uses.run(call, receipt)
        received = time.perf_counter() - started
        transfer = await uses.run(call, RequestTransfer(warehouse, destination, ((sku, count),)))
        started = time.perf_counter()
        await uses.run(call, ShipTransfer(transfer.id, 1, ((sku, tuple(serials)),)))
        shipped = time.perf_counter() - started
        arrived = ReceivedQuantities(sku, count, serials=tuple(serials))
        started = time.perf_counter()
        await uses.run(call, ReceiveTransfer(transfer.id, (arrived,), 2))
        transferred_in = time.perf_counter() - started
        started = time.perf_counter()
        await uses.run(call, IssueStock(sku, destination, count, serials=serials))
        issued = time.perf_counter() - started
        tenant_id = call.tenant_id
        raw_in = await raw_document(
            bench.admin_url, tenant_id, raw_sku, warehouse, serials, receipt=True
        )
        raw_out = await raw_document(
            bench.admin_url, tenant_id, raw_sku, warehouse, serials, receipt=False
        )
    results: dict[str, tuple[float, float | None]] = {
        "receipt (scan in)": (received, raw_in),
        "transfer shipment": (shipped, None),
        "transfer receipt": (transferred_in, None),
        "issue (scan out)": (issued, raw_out),
    }
    return report(count, results)


def report(count: int, results: dict[str, tuple[float, float | None]]) -> bool:
    print(f"one document of {count:,} serials, through the use case and as raw COPY:")
    print(f"{'document':<20}{'use case s':>12}{'raw SQL s':>12}{'ratio':>8}{'serials/s':>12}")
    met = True
    for label, (use_case, raw) in results.items():
        met = met and use_case < GOAL_SECONDS * max(1.0, count / SERIALS)
        raw_s, ratio = ("—", "—") if raw is None else (f"{raw:.2f}", f"{raw / use_case:.2f}")
        print(f"{label:<20}{use_case:>12.2f}{raw_s:>12}{ratio:>8}{count / use_case:>12,.0f}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} cores")
    print(
        f"goal (each document under {GOAL_SECONDS:.0f} s per 10,000 serials): "
        f"{'met' if met else 'MISSED'}"
    )
    return met


def main() -> Any:
    """For ``python -m bench``: 10,000 serials times ``BENCH_SCALE``."""
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    return run(max(100, round(SERIALS * scale)))


if __name__ == "__main__":
    use_uvloop()  # the loop the deployed processes run on (bootstrap/event_loop.py)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serials", type=int, default=SERIALS)
    args = parser.parse_args()
    raise SystemExit(0 if asyncio.run(run(args.serials)) else 1)
