"""Transfers, their lines and receipt documents in Postgres (INV-5)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import and_, bindparam, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from adapters.postgres.inventory.tables import transfer_lines, transfer_receipts, transfers
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import AnyRow, TenantRepository, from_row, one_updated, values_of
from domain.inventory.transfer import (
    ReceivedLine,
    Transfer,
    TransferLine,
    TransferReceipt,
    TransferStatus,
)
from domain.shared.errors import NotFound

_COLUMNS = [c for c in transfers.c if c.name != "tenant_id"]
_LINE_COLUMNS = [c for c in transfer_lines.c if c.name not in ("tenant_id", "transfer_id")]
_RECEIPT_COLUMNS = [c for c in transfer_receipts.c if c.name != "tenant_id"]
_NO_SKU = {"transfer_lines_tenant_id_sku_id_fkey": lambda: NotFound(entity="sku")}
_SAVE_LINE = (
    update(transfer_lines)
    .where(
        transfer_lines.c.tenant_id == bindparam("t"),
        transfer_lines.c.transfer_id == bindparam("tr"),
        transfer_lines.c.line_no == bindparam("no"),
    )
    .values(
        received=bindparam("received"),
        damaged=bindparam("damaged"),
        short=bindparam("short"),
        unit_cost=bindparam("cost"),
    )
)


# A transfer's units still in transit at its destination, per batch (INV-8): the
# destination's ledger rows naming a batch, of the shipment and of the transfer's receipts
# (each closes what it accounts for), in the order the batches were shipped.
_IN_TRANSIT_BATCHES = text("""
    SELECT batch_id, sum(d_in_transit) AS units FROM stock_ledger
    WHERE tenant_id = :tenant AND sku_id = :sku AND warehouse_id = :warehouse
      AND batch_id IS NOT NULL
      AND ((source_type = 'transfer' AND source_id = :transfer)
        OR (source_type = 'transfer_receipt' AND source_id IN (
            SELECT id FROM transfer_receipts
            WHERE tenant_id = :tenant AND transfer_id = :transfer)))
    GROUP BY batch_id HAVING sum(d_in_transit) > 0
    ORDER BY min(seq)
""")


def _receipt(row: AnyRow) -> TransferReceipt:
    lines = tuple(ReceivedLine(**line) for line in row.lines)
    return from_row(TransferReceipt, row, lines=lines)


class PostgresTransferRepository(TenantRepository):
    async def add(self, transfer: Transfer) -> None:
        await self._insert(transfers, values_of(transfer, _COLUMNS, status=transfer.status.value))
        try:
            await self._conn.execute(
                insert(transfer_lines),
                [
                    {
                        "tenant_id": self._tenant_id,
                        "transfer_id": transfer.id,
                        **values_of(li, _LINE_COLUMNS),
                    }
                    for li in transfer.lines
                ],
            )
        except IntegrityError as error:
            raise_for_constraint(error, _NO_SKU)

    async def get(self, transfer_id: UUID, *, for_update: bool = False) -> Transfer | None:
        query = select(*_COLUMNS).where(self._row_of(transfers, transfer_id))
        row = await self._first(query.with_for_update() if for_update else query)
        if row is None:
            return None
        of_this = and_(
            transfer_lines.c.tenant_id == self._tenant_id,
            transfer_lines.c.transfer_id == transfer_id,
        )
        lines = [
            from_row(TransferLine, r)
            for r in await self._conn.execute(
                select(*_LINE_COLUMNS).where(of_this).order_by(transfer_lines.c.line_no)
            )
        ]
        receipts = [
            _receipt(r)
            for r in await self._conn.execute(
                select(*_RECEIPT_COLUMNS)
                .where(
                    transfer_receipts.c.tenant_id == self._tenant_id,
                    transfer_receipts.c.transfer_id == transfer_id,
                )
                .order_by(transfer_receipts.c.received_at, transfer_receipts.c.id)
            )
        ]
        return from_row(
            Transfer, row, status=TransferStatus(row.status), lines=lines, receipts=receipts
        )

    async def page(self, after: UUID | None, limit: int) -> list[Transfer]:
        query = select(*_COLUMNS).where(transfers.c.tenant_id == self._tenant_id)
        if after is not None:
            query = query.where(transfers.c.id > after)
        rows = await self._conn.execute(query.order_by(transfers.c.id).limit(limit))
        return [from_row(Transfer, r, status=TransferStatus(r.status), lines=[]) for r in rows]

    async def save(self, transfer: Transfer, expected_version: int) -> None:
        result = await self._conn.execute(
            self._at_version(transfers, transfer.id, expected_version).values(
                status=transfer.status.value,
                version=transfer.version,
                updated_at=transfer.updated_at,
                shipped_by=transfer.shipped_by,
                shipped_at=transfer.shipped_at,
            )
        )
        one_updated(result.rowcount, expected_version)
        await self._conn.execute(
            _SAVE_LINE,
            [
                {
                    "t": self._tenant_id,
                    "tr": transfer.id,
                    "no": li.line_no,
                    "received": li.received,
                    "damaged": li.damaged,
                    "short": li.short,
                    "cost": li.unit_cost,
                }
                for li in transfer.lines
            ],
        )
        stored = {
            r.id
            for r in await self._conn.execute(
                select(transfer_receipts.c.id).where(
                    transfer_receipts.c.tenant_id == self._tenant_id,
                    transfer_receipts.c.transfer_id == transfer.id,
                )
            )
        }
        new = [r for r in transfer.receipts if r.id not in stored]
        if new:
            await self._conn.execute(
                insert(transfer_receipts),
                [
                    {
                        "tenant_id": self._tenant_id,
                        "id": r.id,
                        "transfer_id": r.transfer_id,
                        "lines": [
                            {
                                "line_no": g.line_no,
                                "received": g.received,
                                "damaged": g.damaged,
                                "short": g.short,
                            }
                            for g in r.lines
                        ],
                        "note": r.note,
                        "received_by": r.received_by,
                        "received_at": r.received_at,
                    }
                    for r in new
                ],
            )

    async def in_transit_batches(self, transfer: Transfer, sku_id: UUID) -> list[tuple[UUID, int]]:
        rows = await self._conn.execute(
            _IN_TRANSIT_BATCHES,
            {
                "tenant": self._tenant_id,
                "sku": sku_id,
                "warehouse": transfer.destination_id,
                "transfer": transfer.id,
            },
        )
        return [(row.batch_id, int(row.units)) for row in rows]
