"""The order, its reservation, its audit record and its outbox event commit together or
not at all (ORD-1, INV-2, PLT-3): a fault injected at each point between them leaves
nothing behind — no order, no reservation, no stock held, no audit record, no event — and
the same placement without the fault writes all of them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from adapters.postgres.orders.repository import PostgresOrderRepository
from adapters.postgres.shared.unit_of_work import PostgresUnitOfWork
from application.inventory.reservations.engine import Reservations
from tests.conftest import TenantHandle
from tests.integration.orders.conftest import Written, caller, place, stocked_sku, written
from tests.support.databases import TestDatabase


class Fault(RuntimeError):
    pass


def _after(original: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    async def then_fail(*args: Any, **kwargs: Any) -> Any:
        await original(*args, **kwargs)
        raise Fault("injected after the write")

    return then_fail


FAULT_POINTS = {
    "after the reservation": (Reservations, "reserve"),
    "after the order rows": (PostgresOrderRepository, "add"),
    # one statement since decision 56
    "after the audit records and outbox events": (PostgresUnitOfWork, "write_changes"),
}


@pytest.mark.parametrize("point", list(FAULT_POINTS))
async def test_a_fault_between_the_writes_leaves_nothing(
    tenant: TenantHandle, database: TestDatabase, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    sku = await stocked_sku(tenant, 3)
    owner, name = FAULT_POINTS[point]
    monkeypatch.setattr(owner, name, _after(getattr(owner, name)))
    with pytest.raises(Fault):
        await tenant.container.use_cases.run(caller(tenant), place(sku, 2))
    monkeypatch.undo()
    assert await written(database, tenant, sku) == Written(0, 0, 0, 0, 0, 0, 0)
    order = await tenant.container.use_cases.run(caller(tenant), place(sku, 2))
    assert order.reserved == {sku: 2}
    assert await written(database, tenant, sku) == Written(1, 1, 1, 1, 2, 1, 1)
