"""PLT-8: SKUs found as people name them where stock is handled — a code (any case) or a
barcode (a GTIN with or without its leading zeros) — with ``inventory:read`` alone; an
archived SKU, another company's SKU or an unknown code is a 422 naming the field."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from application.inventory.stock.skus import FindSku, SkuCodes
from domain.inventory.permissions import INVENTORY_READ
from domain.shared.errors import PermissionDenied, ValidationFailed
from tests.conftest import TenantFactory, TenantHandle
from tests.integration.inventory.conftest import MakeSkus, caller
from tests.support.databases import TestDatabase

BARCODE = "6901234567892"  # an EAN-13


async def _set(database: TestDatabase, sku: uuid.UUID, changes: str, *values: object) -> None:
    conn = await asyncpg.connect(database.owner_url)
    try:
        await conn.execute(f"UPDATE skus SET {changes} WHERE id = $1", sku, *values)
    finally:
        await conn.close()


async def _code(database: TestDatabase, sku: uuid.UUID) -> str:
    conn = await asyncpg.connect(database.owner_url)
    try:
        return str(await conn.fetchval("SELECT code FROM skus WHERE id = $1", sku))
    finally:
        await conn.close()


async def test_a_sku_is_found_by_its_code_or_its_barcode_with_inventory_read(
    tenant: TenantHandle, make_skus: MakeSkus, database: TestDatabase
) -> None:
    sku, other = await make_skus(tenant, 2)
    await _set(database, sku, "barcode = $2, barcode_key = $3", BARCODE, BARCODE.zfill(14))
    reader = caller(tenant, frozenset({INVENTORY_READ}))
    use_cases = tenant.container.use_cases
    code = await _code(database, sku)
    by_code = await use_cases.query(reader, FindSku(f"  {code.lower()} "))
    assert (by_code.id, by_code.code, by_code.barcode) == (sku, code, BARCODE)
    assert (await use_cases.query(reader, FindSku(BARCODE))).id == sku
    assert (await use_cases.query(reader, FindSku("0" + BARCODE))).id == sku  # GTIN-14
    codes = await use_cases.query(reader, SkuCodes((sku, other, uuid.uuid4())))
    assert codes == {sku: code, other: await _code(database, other)}


async def test_unknown_archived_and_foreign_skus_are_422_on_the_field(
    tenant: TenantHandle, new_tenant: TenantFactory, make_skus: MakeSkus, database: TestDatabase
) -> None:
    (sku,) = await make_skus(tenant, 1)
    stranger = await new_tenant()
    (foreign,) = await make_skus(stranger, 1)
    use_cases = tenant.container.use_cases
    reader = caller(tenant, frozenset({INVENTORY_READ}))
    for given in ("NO-SUCH", await _code(database, foreign), "  "):
        with pytest.raises(ValidationFailed) as refused:
            await use_cases.query(reader, FindSku(given, "code"))
        assert refused.value.errors[0].field == "code"
    assert await use_cases.query(reader, SkuCodes((foreign,))) == {}
    await _set(database, sku, "archived = true")
    with pytest.raises(ValidationFailed):
        await use_cases.query(reader, FindSku(await _code(database, sku)))
    with pytest.raises(PermissionDenied):
        await use_cases.query(caller(tenant, frozenset()), FindSku("X"))
