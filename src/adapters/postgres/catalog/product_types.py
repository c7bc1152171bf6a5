"""Product types in Postgres (CAT-5): ``product_types`` and their ordered
``product_type_attributes``, rewritten as a whole on every save."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, Executable, delete, insert, select
from sqlalchemy.exc import IntegrityError

from adapters.postgres.catalog.named import changed_named_row, new_named_row
from adapters.postgres.catalog.sql import any_of
from adapters.postgres.catalog.tables import product_type_attributes as attributes_table
from adapters.postgres.catalog.tables import product_types
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import TenantRepository, one_updated
from domain.catalog.product_type import AttributeDefinition, AttributeKind, ProductType
from domain.shared.errors import Conflict

_ATTRIBUTES = select(
    attributes_table.c.product_type_id,
    attributes_table.c.code,
    attributes_table.c.name,
    attributes_table.c.kind,
    attributes_table.c.unit,
    attributes_table.c.allowed_values,
    attributes_table.c.variant_axis,
    attributes_table.c.required,
)


class PostgresProductTypeRepository(TenantRepository):
    async def get(self, type_id: UUID) -> ProductType | None:
        found = await self._load(product_types.c.id == type_id, 1)
        return found[0] if found else None

    async def page(self, after: UUID | None, limit: int) -> list[ProductType]:
        return await self._load(product_types.c.id > after if after is not None else None, limit)

    async def _load(self, where: ColumnElement[bool] | None, limit: int) -> list[ProductType]:
        query = select(product_types.c.id, product_types.c.name, product_types.c.version).where(
            product_types.c.tenant_id == self._tenant_id
        )
        if where is not None:
            query = query.where(where)
        rows = (await self._conn.execute(query.order_by(product_types.c.id).limit(limit))).all()
        if not rows:
            return []
        attributes: dict[UUID, list[AttributeDefinition]] = defaultdict(list)
        for a in await self._conn.execute(
            _ATTRIBUTES.where(
                attributes_table.c.tenant_id == self._tenant_id,
                any_of(attributes_table.c.product_type_id, [r.id for r in rows]),
            ).order_by(attributes_table.c.product_type_id, attributes_table.c.position)
        ):
            attributes[a.product_type_id].append(
                AttributeDefinition(
                    code=a.code,
                    name=a.name,
                    kind=AttributeKind(a.kind),
                    variant_axis=a.variant_axis,
                    required=a.required,
                    unit=a.unit,
                    allowed_values=tuple(a.allowed_values),
                )
            )
        return [ProductType(r.id, r.name, tuple(attributes[r.id]), r.version) for r in rows]

    async def add(self, product_type: ProductType, at: datetime) -> None:
        await self._write(
            insert(product_types).values(
                tenant_id=self._tenant_id, **new_named_row(product_type, at)
            ),
            product_type,
        )
        await self._insert_attributes(product_type)

    async def save(self, product_type: ProductType, expected_version: int, at: datetime) -> None:
        rowcount = await self._write(
            self._at_version(product_types, product_type.id, expected_version).values(
                **changed_named_row(product_type, at)
            ),
            product_type,
        )
        one_updated(rowcount, expected_version)
        await self._conn.execute(
            delete(attributes_table).where(
                attributes_table.c.tenant_id == self._tenant_id,
                attributes_table.c.product_type_id == product_type.id,
            )
        )
        await self._insert_attributes(product_type)

    async def _write(self, statement: Executable, product_type: ProductType) -> int:
        try:
            result = await self._conn.execute(statement)
        except IntegrityError as error:
            raise_for_constraint(
                error,
                {
                    "product_types_name_key": lambda: Conflict(
                        "product_type_name_taken", name=product_type.name
                    )
                },
            )
        return result.rowcount

    async def _insert_attributes(self, product_type: ProductType) -> None:
        if not product_type.attributes:
            return
        await self._conn.execute(
            insert(attributes_table),
            [
                {
                    "tenant_id": self._tenant_id,
                    "product_type_id": product_type.id,
                    "code": a.code,
                    "name": a.name,
                    "kind": str(a.kind),
                    "unit": a.unit,
                    "allowed_values": list(a.allowed_values),
                    "variant_axis": a.variant_axis,
                    "required": a.required,
                    "position": i,
                }
                for i, a in enumerate(product_type.attributes)
            ],
        )
