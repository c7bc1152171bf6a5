"""The tenant's costing method (INV-7): FIFO (the default) or moving weighted average.

It can change only while no movement has posted a value: a method decides how every
later issue is costed from the layers or the average the earlier ones left, so switching
mid-history would value the same units twice over. A tenant that must switch later
starts a new period by closing out and re-receiving its stock (docs/inventory.md). The
change takes the method's lock exclusively; every valued movement holds it shared, so a
movement never costs under a method that is changing under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from application.inventory.common import store_of
from application.shared.use_case import Command, Query, Reading, Work
from application.shared.versions import check_version
from domain.inventory.costing import CostingHistoryExists, CostingMethod
from domain.inventory.permissions import INVENTORY_COSTING

ENTITY = "costing_settings"


@dataclass(frozen=True)
class CostingSettings:
    method: CostingMethod
    version: int  # 0: never set (FIFO)
    has_history: bool  # a value was posted: the method is fixed


class GetCostingSettings(Query[CostingSettings], entity=ENTITY, permission=INVENTORY_COSTING):
    pass


class GetCostingSettingsHandler:
    async def handle(self, query: GetCostingSettings, reading: Reading) -> CostingSettings:
        costs = store_of(reading.uow).costs
        method, version = await costs.method()
        return CostingSettings(method, version, await costs.has_history())


class SetCostingMethod(
    Command[CostingSettings],
    action="costing_settings.update",
    entity=ENTITY,
    permission=INVENTORY_COSTING,
):
    method: CostingMethod
    expected_version: int | None  # If-Match; "v0" the first time


class SetCostingMethodHandler:
    async def handle(self, command: SetCostingMethod, work: Work) -> CostingSettings:
        costs = store_of(work.uow).costs
        method, version = await costs.lock_method()
        check_version(command.expected_version, version)
        history = await costs.has_history()
        if command.method is method and version > 0:
            return CostingSettings(method, version, history)
        if history and command.method is not method:
            raise CostingHistoryExists(method=method.value)
        version = await costs.set_method(command.method, version, work.clock.now())
        work.audit(None, {"method": method.value}, {"method": command.method.value})
        return CostingSettings(command.method, version, history)
