"""The audit record and outbox event of a change to a SKU's member price or promotion."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from application.shared.use_case import Changes
from domain.shared.audit import AuditChange
from domain.shared.events import DomainEvent

PAST = {"create": "created", "update": "updated", "delete": "deleted"}


def record_price_change(
    work: Changes,
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
    work.audit(
        price_id,
        changes=changes,
        detail={"skuId": str(sku_id), "version": version},
        action=f"{entity}.{verb}",
        entity=entity,
    )
    work.emit(
        DomainEvent(
            f"{entity}.{PAST[verb]}",
            entity,
            price_id,
            tuple(c.field for c in changes),
            data={"skuId": str(sku_id), **data},
        )
    )
