"""The tenant's after-sales policy (ORD-6): ship an exchange's replacement first, or hold
it until the returned goods arrive (the default)."""

from __future__ import annotations

from application.aftersales.common import store_of
from application.aftersales.ports import AftersalesSettings
from application.shared.use_case import Command, Query, Reading, Work
from application.shared.versions import check_version
from domain.aftersales.permissions import AFTERSALES_READ, AFTERSALES_WRITE
from domain.shared.events import DomainEvent

ENTITY = "aftersales_settings"


class GetSettings(Query[AftersalesSettings], entity=ENTITY, permission=AFTERSALES_READ):
    pass


class SetSettings(
    Command[AftersalesSettings],
    action="aftersales_settings.update",
    entity=ENTITY,
    permission=AFTERSALES_WRITE,
):
    ship_exchange_first: bool
    expected_version: int | None


class GetSettingsHandler:
    async def handle(self, query: GetSettings, reading: Reading) -> AftersalesSettings:
        return await store_of(reading.uow).settings.get()


class SetSettingsHandler:
    async def handle(self, command: SetSettings, work: Work) -> AftersalesSettings:
        settings = store_of(work.uow).settings
        current = await settings.get()
        check_version(command.expected_version, current.version)
        if current.ship_exchange_first == command.ship_exchange_first and current.version:
            return current
        saved = AftersalesSettings(command.ship_exchange_first, current.version + 1)
        await settings.put(saved, current.version, work.clock.now())
        work.audit(
            None,
            {"shipExchangeFirst": current.ship_exchange_first},
            {"shipExchangeFirst": saved.ship_exchange_first},
        )
        work.emit(
            DomainEvent(
                "aftersales.settings_changed",
                ENTITY,
                work.ctx.tenant_id,
                ("ship_exchange_first",),
            )
        )
        return saved
