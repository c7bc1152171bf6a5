"""Warehouses by code (#9 item 16): wherever a filter or a command names a warehouse, it
may give the warehouse's id or its code (``BJ-01``; unique in the company). A code or an
id string the company does not have is a 422 naming the parameter or field, never an
empty answer. An id given as such (a body's ``warehouseId``) is passed on as it was: the
use case loads it, so an unknown one stays the 404 it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.inventory.common import store_of
from application.shared.references import Reference, id_in, named_once
from application.shared.unit_of_work import UnitOfWork
from domain.shared.errors import FieldError, ValidationFailed

# What a caller may give: an id, or a string holding an id or a warehouse's code.
WarehouseRef = Reference
# A body names a warehouse by ``warehouseId`` (its id) or by ``warehouse`` (its code or
# id) — ``warehouseIds`` or ``warehouses`` for several — not both.
GIVEN_TWICE = "warehouse_given_twice"


async def warehouse_ids_of(
    uow: UnitOfWork, named: Sequence[tuple[str, WarehouseRef]]
) -> list[UUID]:
    """The id of each ``(field, reference)``; every unknown one a field error, together."""
    if all(isinstance(reference, UUID) for _, reference in named):
        return [UUID(str(reference)) for _, reference in named]
    by_code = {w.code: w.id for w in await store_of(uow).warehouses.all()}  # a company has a few
    ids = set(by_code.values())
    found: list[UUID] = []
    errors: list[FieldError] = []
    for field, reference in named:
        if isinstance(reference, UUID):
            found.append(reference)
            continue
        given = reference.strip()
        warehouse_id = by_code.get(given) or id_in(given)
        if warehouse_id is not None and warehouse_id in ids:
            found.append(warehouse_id)
        else:
            errors.append(FieldError(field, "unknown_warehouse", {"warehouse": reference}))
    if errors:
        raise ValidationFailed(errors)
    return found


async def warehouse_id_of(uow: UnitOfWork, field: str, reference: WarehouseRef) -> UUID:
    """The id of the one warehouse ``reference`` names (see ``warehouse_ids_of``)."""
    return (await warehouse_ids_of(uow, [(field, reference)]))[0]


def named_required(by_id: UUID | None, by_reference: str | None) -> WarehouseRef:
    """``warehouseId`` or ``warehouse``: one of them is required."""
    named = named_once(
        by_id, by_reference, id_field="warehouseId", field="warehouse", code=GIVEN_TWICE
    )
    if named is None:
        raise ValidationFailed.single("warehouseId", "required")
    return named
