"""The tenant's commercial terms: one currency (every catalog price) and one time zone
(price windows, the inventory's days: its daily position and its daily closings)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from application.identity.ports import IDENTITY
from application.shared.unit_of_work import UnitOfWork

DEFAULT_CURRENCY = "CNY"
DEFAULT_TIME_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class TenantTerms:
    currency: str
    time_zone: str

    @property
    def zone(self) -> ZoneInfo:
        """The time zone as a ``ZoneInfo`` (the default for a name the system lacks)."""
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(DEFAULT_TIME_ZONE)


async def tenant_terms(uow: UnitOfWork) -> TenantTerms:
    """The terms of the unit of work's tenant."""
    tenant = await uow.of(IDENTITY).tenants.get(uow.tenant_id)
    if tenant is None:
        return TenantTerms(DEFAULT_CURRENCY, DEFAULT_TIME_ZONE)
    return TenantTerms(tenant.currency.strip(), tenant.time_zone)
