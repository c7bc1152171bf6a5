"""An order naming a channel the company does not have is refused cleanly (ORD-1, ORD-9):
the channel not found (a 404 problem), not a server error, and nothing written — with
platform order ids too (the fuzzer found a 500 there while a placement wrote its order
before its stock, decision 101)."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from domain.shared.errors import NotFound
from tests.conftest import TenantHandle
from tests.integration.orders.conftest import Written, caller, place, stocked_sku, written
from tests.support.databases import TestDatabase


@pytest.mark.parametrize("platform_ids", [(), ("TS-01",)])
async def test_an_unknown_channel_is_refused_and_nothing_is_written(
    tenant: TenantHandle, database: TestDatabase, platform_ids: tuple[str, ...]
) -> None:
    sku = await stocked_sku(tenant, 3)
    command = place(sku, 1)
    new = replace(command.order, channel_id=uuid.uuid4(), platform_order_ids=platform_ids)
    with pytest.raises(NotFound) as refused:
        await tenant.container.use_cases.run(caller(tenant), replace(command, order=new))
    assert refused.value.params == {"entity": "sales_channel"}
    assert await written(database, tenant, sku) == Written(0, 0, 0, 0, 0, 0, 0)
