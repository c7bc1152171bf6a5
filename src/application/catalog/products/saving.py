"""Writing a changed product: its row, its new version, its audit record and its events.

Every product change runs in one transaction: the product row, its SKUs, its search
terms (rewritten on every save, CAT-12), a new version with actor, time and the
field-level diff (CAT-8), the audit record (costs redacted) and the outbox events (ids and
changed field names only). One command, one version: the caller has set
``product.version`` to read_version + 1.
"""

from __future__ import annotations

from dataclasses import replace

from application.catalog.ports.store import CATALOG
from application.shared.use_case import Work
from domain.catalog.product import ENTITY, Product
from domain.catalog.versions import first_version, next_version, redact_costs
from domain.shared.audit import AuditChange


async def save_product(
    work: Work,
    product: Product,
    read_version: int,
    *,
    action: str | None = None,
    restored_from: int | None = None,
) -> None:
    """``action``: the audit action when it is not the command's own (a listing's launch
    saves the product as ``product.launch``)."""
    products = work.uow.of(CATALOG).products
    latest = await products.version(product.id, read_version)
    snapshot, actor = product.snapshot(), work.ctx.actor.label
    version = (
        next_version(latest, snapshot, actor, product.updated_at, restored_from)
        if latest is not None
        else None
    ) or first_version(product.id, snapshot, actor, product.updated_at)
    version = replace(version, number=product.version)
    await products.save(product, read_version, version)
    note_product(work, product, version.changes, action=action)


def note_product(
    work: Work,
    product: Product,
    changes: tuple[AuditChange, ...],
    *,
    action: str | None = None,
) -> None:
    """The product's audit record (the version's diff, costs redacted) and its events."""
    work.audit(
        product.id,
        changes=redact_costs(changes),
        detail={"version": product.version},
        action=action,
        entity=ENTITY,
    )
    work.publish(product)
