"""The tenant's commercial terms the catalog prices in: one currency, one time zone."""

from __future__ import annotations

from dataclasses import dataclass

from application.context import CallContext
from application.ports.unit_of_work import UnitOfWork

DEFAULT_CURRENCY = "CNY"
DEFAULT_TIME_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class TenantTerms:
    currency: str
    time_zone: str


async def tenant_terms(ctx: CallContext, uow: UnitOfWork) -> TenantTerms:
    tenant = await uow.tenants.get(ctx.tenant_id)
    if tenant is None:
        return TenantTerms(DEFAULT_CURRENCY, DEFAULT_TIME_ZONE)
    return TenantTerms(tenant.currency.strip(), tenant.time_zone)
