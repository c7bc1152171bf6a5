"""Product types in Postgres (CAT-5): ``product_types`` and their ordered
``product_type_attributes``, rewritten as a whole on every save."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.catalog.brands import violated_constraint
from domain.catalog.checks import name_key
from domain.catalog.product_type import AttributeDefinition, AttributeKind, ProductType
from domain.shared.errors import Conflict, StaleVersion

NAME_CONSTRAINT = "product_types_name_key"


class PostgresProductTypeRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def get(self, type_id: UUID) -> ProductType | None:
        found = await self._load("AND id = :id", {"id": type_id, "limit": 1})
        return found[0] if found else None

    async def page(self, after: UUID | None, limit: int) -> list[ProductType]:
        return await self._load(
            "AND (CAST(:after AS uuid) IS NULL OR id > CAST(:after AS uuid))",
            {"after": after, "limit": limit},
        )

    async def _load(self, where: str, params: dict[str, Any]) -> list[ProductType]:
        rows = (
            await self._conn.execute(
                text(
                    "SELECT id, name, version FROM product_types WHERE tenant_id = :tenant_id "
                    + where
                    + " ORDER BY id LIMIT :limit"
                ),
                {"tenant_id": self._tenant_id, **params},
            )
        ).all()
        if not rows:
            return []
        attributes: dict[UUID, list[AttributeDefinition]] = defaultdict(list)
        for a in await self._conn.execute(
            text(
                "SELECT product_type_id, code, name, kind, unit, allowed_values, variant_axis,"
                " required FROM product_type_attributes WHERE tenant_id = :tenant_id"
                " AND product_type_id = ANY(CAST(:ids AS uuid[]))"
                " ORDER BY product_type_id, position"
            ),
            {"tenant_id": self._tenant_id, "ids": [r.id for r in rows]},
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
            "INSERT INTO product_types (tenant_id, id, name, name_key, version, created_at,"
            " updated_at) VALUES (:tenant_id, :id, :name, :name_key, :version, :at, :at)",
            product_type,
            {"at": at},
        )
        await self._insert_attributes(product_type)

    async def save(self, product_type: ProductType, expected_version: int, at: datetime) -> None:
        rowcount = await self._write(
            "UPDATE product_types SET name = :name, name_key = :name_key, version = :version,"
            " updated_at = :at"
            " WHERE tenant_id = :tenant_id AND id = :id AND version = :expected_version",
            product_type,
            {"at": at, "expected_version": expected_version},
        )
        if rowcount != 1:
            raise StaleVersion(expected=expected_version)
        await self._conn.execute(
            text(
                "DELETE FROM product_type_attributes"
                " WHERE tenant_id = :tenant_id AND product_type_id = :id"
            ),
            {"tenant_id": self._tenant_id, "id": product_type.id},
        )
        await self._insert_attributes(product_type)

    async def _write(self, sql: str, product_type: ProductType, extra: dict[str, Any]) -> int:
        values = {
            "tenant_id": self._tenant_id,
            "id": product_type.id,
            "name": product_type.name,
            "name_key": name_key(product_type.name),
            "version": product_type.version,
            **extra,
        }
        try:
            result = await self._conn.execute(text(sql), values)
        except IntegrityError as error:
            if violated_constraint(error) == NAME_CONSTRAINT:
                raise Conflict("product_type_name_taken", name=product_type.name) from None
            raise
        return result.rowcount

    async def _insert_attributes(self, product_type: ProductType) -> None:
        if not product_type.attributes:
            return
        await self._conn.execute(
            text(
                "INSERT INTO product_type_attributes (tenant_id, product_type_id, code, name,"
                " kind, unit, allowed_values, variant_axis, required, position)"
                " VALUES (:tenant_id, :type_id, :code, :name, :kind, :unit, :allowed_values,"
                " :variant_axis, :required, :position)"
            ),
            [
                {
                    "tenant_id": self._tenant_id,
                    "type_id": product_type.id,
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
