"""Revise a product type (CAT-5): ``None`` keeps the current name / attributes; the
attribute list is replaced as a whole."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.catalog.product_types.common import (
    AttributeInput,
    definitions,
    load_product_type,
    snapshot,
)
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.permissions import CATALOG_WRITE
from domain.catalog.product_type import ProductType


class ReviseProductType(
    Command[ProductType], action="product_type.update", permission=CATALOG_WRITE, target="type_id"
):
    type_id: UUID
    name: str | None
    attributes: Sequence[AttributeInput] | None
    expected_version: int | None


class ReviseProductTypeHandler:
    async def handle(self, command: ReviseProductType, work: Work) -> ProductType:
        product_type = await load_product_type(work.uow, command.type_id)
        check_version(command.expected_version, product_type.version)
        before, read_version = snapshot(product_type), product_type.version
        changed = product_type.revise(
            product_type.name if command.name is None else command.name,
            product_type.attributes
            if command.attributes is None
            else definitions(command.attributes),
        )
        if not changed:
            return product_type  # nothing changed: no write, no version, nothing recorded
        await work.uow.of(CATALOG).product_types.save(product_type, read_version, work.clock.now())
        work.audit(
            product_type.id,
            before,
            snapshot(product_type),
            detail={"version": product_type.version},
        )
        work.publish(product_type)
        return product_type
