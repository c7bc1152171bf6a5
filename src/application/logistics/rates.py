"""A carrier's price table and service area (LOG-3): read, and replaced whole (If-Match,
``"v0"`` the first time)."""

from __future__ import annotations

from uuid import UUID

from application.logistics.carriers import load_carrier
from application.logistics.ports import LOGISTICS
from application.shared.use_case import Command, Query, Reading, Work
from application.shared.versions import check_version
from domain.logistics.permissions import LOGISTICS_READ, LOGISTICS_WRITE
from domain.logistics.rates import PriceTable, Rate, checked_rates

ENTITY = "price_table"


class GetPriceTable(
    Query[PriceTable], entity=ENTITY, permission=LOGISTICS_READ, target="carrier_id"
):
    carrier_id: UUID


class SetPriceTable(
    Command[PriceTable],
    action="price_table.update",
    entity=ENTITY,
    permission=LOGISTICS_WRITE,
    target="carrier_id",
):
    carrier_id: UUID
    rates: tuple[Rate, ...]
    expected_version: int | None


def _snapshot(table: PriceTable) -> dict[str, object]:
    return {
        "rates": [
            {
                "regions": list(rate.regions),
                "firstWeightGrams": rate.first_grams,
                "firstPrice": str(rate.first_price),
                "additionalPerKg": str(rate.additional_per_kg),
                "maxWeightGrams": rate.max_grams,
            }
            for rate in table.rates
        ]
    }


class GetPriceTableHandler:
    async def handle(self, query: GetPriceTable, reading: Reading) -> PriceTable:
        await load_carrier(reading.uow, query.carrier_id)
        return await reading.uow.of(LOGISTICS).price_tables.get(query.carrier_id)


class SetPriceTableHandler:
    async def handle(self, command: SetPriceTable, work: Work) -> PriceTable:
        rates = checked_rates(command.rates)
        await load_carrier(work.uow, command.carrier_id)
        tables = work.uow.of(LOGISTICS).price_tables
        current = await tables.get(command.carrier_id)
        check_version(command.expected_version, current.version)
        if _snapshot(current) == _snapshot(PriceTable(command.carrier_id, rates, 0)):
            return current  # the same rates again: nothing written, nothing audited
        changed = PriceTable(command.carrier_id, rates, current.version + 1)
        await tables.put(changed, current.version, work.clock.now())
        work.audit(command.carrier_id, _snapshot(current), _snapshot(changed))
        return changed
