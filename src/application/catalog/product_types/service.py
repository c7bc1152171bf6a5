"""The product types facade (CAT-5): create and revise a type with its attributes; read
them."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.catalog.common import id_window
from application.catalog.product_types.common import AttributeInput
from application.catalog.product_types.create import CreateProductType, CreateProductTypeHandler
from application.catalog.product_types.queries import (
    GetProductType,
    GetProductTypeHandler,
    ListProductTypes,
    ListProductTypesHandler,
)
from application.catalog.product_types.revise import ReviseProductType, ReviseProductTypeHandler
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.pagination import Page
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from domain.catalog.product_type import ProductType


class ProductTypeService:
    """``create``, ``revise`` and ``get``, ``list_types``."""

    def __init__(self, runner: CommandRunner, clock: Clock, ids: IdGenerator) -> None:
        self._runner = runner
        self._create = CreateProductTypeHandler(clock, ids)
        self._revise = ReviseProductTypeHandler(clock)

    @runs(CreateProductType)
    async def create(
        self, ctx: CallContext, name: str, attributes: Sequence[AttributeInput]
    ) -> ProductType:
        return await self._runner.run(ctx, CreateProductType(name, attributes), self._create)

    @runs(ReviseProductType)
    async def revise(
        self,
        ctx: CallContext,
        type_id: UUID,
        name: str | None,
        attributes: Sequence[AttributeInput] | None,
        expected_version: int | None,
    ) -> ProductType:
        command = ReviseProductType(type_id, name, attributes, expected_version)
        return await self._runner.run(ctx, command, self._revise)

    @runs(GetProductType)
    async def get(self, ctx: CallContext, type_id: UUID) -> ProductType:
        return await self._runner.query(ctx, GetProductType(type_id), GetProductTypeHandler())

    @runs(ListProductTypes)
    async def list_types(
        self, ctx: CallContext, cursor: str | None, limit: int | None
    ) -> Page[ProductType]:
        query = ListProductTypes(*id_window(cursor, limit))
        return await self._runner.query(ctx, query, ListProductTypesHandler())
