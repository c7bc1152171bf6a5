"""Wave numbers (LOG-1): the day's next number is counted under the tenant's numbering
lock, held until the transaction that takes it ends — so a second plan counts after the
first's wave is in, never the same count and then a unique-key error."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from application.fulfilment.ports import FULFILMENT
from tests.conftest import TenantHandle
from tests.integration.orders.conftest import caller


async def _next_number(tenant: TenantHandle) -> str:
    async with tenant.container.uow_factory.for_tenant(caller(tenant)) as uow:
        return await uow.of(FULFILMENT).waves.next_number(datetime.now(UTC))


async def test_a_second_plan_waits_for_the_first_to_number_its_wave(
    tenant: TenantHandle,
) -> None:
    async with tenant.container.uow_factory.for_tenant(caller(tenant)) as first:
        assert (await first.of(FULFILMENT).waves.next_number(datetime.now(UTC)))[-4:] == "0001"
        second = asyncio.create_task(_next_number(tenant))
        await asyncio.sleep(0.5)
        assert not second.done()  # it waits for the first transaction to end
    assert (await second)[-4:] == "0001"  # the first added nothing
