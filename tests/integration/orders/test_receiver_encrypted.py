"""The receiver is stored encrypted (PLT-4, ORD-1): an order placed with a distinctive
receiver leaves its name, phone and address in no column of its ``orders`` row — only in
``receiver_enc`` (sealed) and the blind indexes ``receiver_bidx`` and ``phone_bidx`` — nor
in any other row the placement wrote for the tenant; the province alone is kept in the
clear, in ``province``, for the reports (migration 0019). The use case and the API read the
receiver back intact."""

from __future__ import annotations

from typing import Any

import asyncpg

from application.orders.placing import NewLine, NewOrder, OrderSource, PlaceOrder
from application.orders.queries import GetOrder
from domain.orders.values import Receiver, ShippingAddress
from tests.conftest import TenantHandle
from tests.integration.orders.conftest import caller, stocked_sku
from tests.support.databases import TestDatabase

PRIVATE = Receiver(
    "上官秘密",
    "13698765432",
    ShippingAddress("江苏省", "苏州市", "姑苏区", "机密巷 17 号 3 单元"),
)
# What must never be stored in the clear (the province is, by design: ``province``).
SECRETS = (
    PRIVATE.name,
    PRIVATE.phone,
    PRIVATE.address.city,
    PRIVATE.address.district,
    PRIVATE.address.line,
)
SEALED = {"receiver_enc", "receiver_bidx", "phone_bidx"}


def _holds(value: Any, secret: str) -> bool:
    """Whether a column's value holds ``secret`` in the clear, as text or as UTF-8 bytes."""
    if value is None:
        return False
    if isinstance(value, bytes | bytearray | memoryview):
        return secret.encode() in bytes(value)
    return secret in str(value)


async def _tenant_tables(conn: asyncpg.Connection) -> list[str]:
    return [
        r["table_name"]
        for r in await conn.fetch(
            "SELECT c.table_name FROM information_schema.columns c"
            " JOIN information_schema.tables t USING (table_schema, table_name)"
            " WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id'"
            " AND t.table_type = 'BASE TABLE' ORDER BY 1"
        )
    ]


async def _everywhere(
    conn: asyncpg.Connection, tenant: TenantHandle, secrets: tuple[str, ...]
) -> list[tuple[str, str]]:
    """(table, column) of every row of the tenant, in every table, holding one of
    ``secrets`` in the clear."""
    found = []
    for table in await _tenant_tables(conn):
        rows = await conn.fetch(
            f'SELECT * FROM "{table}" WHERE tenant_id = $1',  # names from the catalog
            tenant.id,
        )
        found += [
            (table, k) for r in rows for k, v in r.items() if any(_holds(v, s) for s in secrets)
        ]
    return found


async def test_plt4_the_receiver_is_in_no_column_in_the_clear_and_reads_back_intact(
    tenant: TenantHandle, database: TestDatabase
) -> None:
    sku = await stocked_sku(tenant, 3)
    command = PlaceOrder(NewOrder((NewLine(sku, 1),), PRIVATE, OrderSource.API))
    order = await tenant.container.use_cases.run(caller(tenant), command)

    conn = await asyncpg.connect(database.owner_url)  # the owner: past RLS, every column
    try:
        rows = await conn.fetch("SELECT * FROM orders WHERE tenant_id = $1", tenant.id)
        (row,) = rows
        assert row["id"] == order.id
        found = [(k, s) for k, v in row.items() for s in SECRETS if _holds(v, s)]
        assert found == [], found
        assert row["province"] == PRIVATE.address.province  # the one part in the clear
        for column in SEALED:  # sealed or indexed, and not empty
            assert isinstance(row[column], bytes) and len(row[column]) >= 16, column
        # nor in any other row of the tenant: lines, timeline, audit, outbox, rollups …
        assert await _everywhere(conn, tenant, SECRETS) == []
        # (the same scan finds the province, kept in the clear: it reads those rows)
        assert ("orders", "province") in await _everywhere(
            conn, tenant, (PRIVATE.address.province,)
        )
    finally:
        await conn.close()

    # The use case and the API read it back intact.
    stored = await tenant.container.use_cases.query(caller(tenant), GetOrder(order.id))
    assert stored.order.receiver == PRIVATE
    answer = await tenant.client.get(
        f"/api/v1/orders/{order.id}", headers=await tenant.headers("owner")
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["receiver"] == {
        "name": PRIVATE.name,
        "phone": PRIVATE.phone,
        "address": {
            "province": PRIVATE.address.province,
            "city": PRIVATE.address.city,
            "district": PRIVATE.address.district,
            "line": PRIVATE.address.line,
            "postalCode": None,
        },
    }
