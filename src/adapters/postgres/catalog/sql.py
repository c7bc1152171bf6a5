"""Expressions the catalog's repositories share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Select,
    any_,
    bindparam,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.shared.tables import tenants


def any_of(column: ColumnElement[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """``column = ANY($n::type[])``: one array parameter whatever the number of values, so
    the statement (and its plan) is the same for every batch, unlike an expanding ``IN``."""
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))


def _currency(tenant_id: UUID | ColumnElement[Any]) -> Select[Any]:
    """The tenant's currency, from the shared kernel's ``tenants`` table."""
    return select(tenants.c.currency).where(tenants.c.id == tenant_id)


def tenant_currency_of(tenant_id: UUID | ColumnElement[Any]) -> ScalarSelect[Any]:
    """The tenant's currency as a scalar subquery, read beside the rows that need it."""
    return _currency(tenant_id).scalar_subquery()


async def tenant_currency(conn: AsyncConnection, tenant_id: UUID) -> str:
    return str(await conn.scalar(_currency(tenant_id))).strip()
