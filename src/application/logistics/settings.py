"""The tenant's logistics settings (LOG-2, ORD-11): the hours without a scan after which a
parcel is stalled, and the share of the weighed weight a carrier's bill may exceed."""

from __future__ import annotations

from decimal import Decimal

from application.logistics.ports import LOGISTICS, LogisticsSettings
from application.shared.use_case import Command, Query, Reading, Work
from application.shared.versions import check_version
from domain.logistics.permissions import LOGISTICS_READ, LOGISTICS_WRITE
from domain.shared.errors import ValidationFailed

ENTITY = "logistics_settings"
MAX_STALL_HOURS = 24 * 30


class GetLogisticsSettings(Query[LogisticsSettings], entity=ENTITY, permission=LOGISTICS_READ):
    pass


class SetLogisticsSettings(
    Command[LogisticsSettings],
    action="logistics_settings.update",
    entity=ENTITY,
    permission=LOGISTICS_WRITE,
):
    stall_hours: int  # 1..720
    bill_tolerance_percent: Decimal  # 0..100
    expected_version: int | None


def _snapshot(settings: LogisticsSettings) -> dict[str, object]:
    return {
        "stallHours": settings.stall_hours,
        "billTolerancePercent": str(settings.bill_tolerance_percent),
    }


class GetLogisticsSettingsHandler:
    async def handle(self, query: GetLogisticsSettings, reading: Reading) -> LogisticsSettings:
        return await reading.uow.of(LOGISTICS).settings.get()


class SetLogisticsSettingsHandler:
    async def handle(self, command: SetLogisticsSettings, work: Work) -> LogisticsSettings:
        if not 0 < command.stall_hours <= MAX_STALL_HOURS:
            raise ValidationFailed.single("stallHours", "out_of_range", min=1, max=MAX_STALL_HOURS)
        tolerance = command.bill_tolerance_percent
        if not Decimal(0) <= tolerance <= Decimal(100):
            raise ValidationFailed.single("billTolerancePercent", "out_of_range", min=0, max=100)
        store = work.uow.of(LOGISTICS)
        current = await store.settings.get()
        check_version(command.expected_version, current.version)
        if (current.stall_hours, current.bill_tolerance_percent) == (
            command.stall_hours,
            tolerance,
        ):
            return current  # the same settings again: nothing written, nothing audited
        changed = LogisticsSettings(command.stall_hours, tolerance, current.version + 1)
        await store.settings.put(changed, current.version, work.clock.now())
        work.audit(None, _snapshot(current), _snapshot(changed))
        return changed
