"""The audit record and outbox event of a change to a SKU's member price or promotion."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from application.shared.unit_of_work import UnitOfWork
from domain.shared.audit import AuditChange, AuditEntry
from domain.shared.events import DomainEvent

PAST = {"create": "created", "update": "updated", "delete": "deleted"}


async def record_price_change(
    uow: UnitOfWork,
    entity: str,
    verb: str,
    price_id: UUID,
    sku_id: UUID,
    version: int,
    changes: tuple[AuditChange, ...],
    data: Mapping[str, str],
) -> None:
    """``<entity>.<verb>`` in the audit, ``<entity>.<verb, past>`` in the outbox (field
    names only; ``data`` names the SKU and what a connector needs to find the price)."""
    await uow.audit.record(
        AuditEntry(
            f"{entity}.{verb}",
            entity,
            price_id,
            changes=changes,
            detail={"skuId": str(sku_id), "version": version},
        )
    )
    await uow.outbox.add(
        DomainEvent(
            f"{entity}.{PAST[verb]}",
            entity,
            price_id,
            tuple(c.field for c in changes),
            data={"skuId": str(sku_id), **data},
        )
    )
