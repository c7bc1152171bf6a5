"""The tenant's commercial terms the catalog prices in: one currency, one time zone."""

from __future__ import annotations

from dataclasses import dataclass

from application.identity.ports import IDENTITY
from application.shared.unit_of_work import UnitOfWork

DEFAULT_CURRENCY = "CNY"
DEFAULT_TIME_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class TenantTerms:
    currency: str
    time_zone: str


async def tenant_terms(uow: UnitOfWork) -> TenantTerms:
    """The terms of the unit of work's tenant (every catalog price and window uses them)."""
    tenant = await uow.of(IDENTITY).tenants.get(uow.tenant_id)
    if tenant is None:
        return TenantTerms(DEFAULT_CURRENCY, DEFAULT_TIME_ZONE)
    return TenantTerms(tenant.currency.strip(), tenant.time_zone)
