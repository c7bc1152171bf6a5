"""The related products facade (CAT-9): show, replace one kind."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.catalog.related.common import RelatedView
from application.catalog.related.queries import ShowRelated, ShowRelatedHandler
from application.catalog.related.replace import ReplaceRelated, ReplaceRelatedHandler
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from domain.catalog.related import RelationKind


class RelatedProductService:
    def __init__(self, runner: CommandRunner) -> None:
        self._runner = runner

    @runs(ShowRelated)
    async def show(self, ctx: CallContext, product_id: UUID) -> RelatedView:
        return await self._runner.query(ctx, ShowRelated(product_id), ShowRelatedHandler())

    @runs(ReplaceRelated)
    async def replace(
        self, ctx: CallContext, product_id: UUID, kind: RelationKind, related_ids: Sequence[UUID]
    ) -> RelatedView:
        command = ReplaceRelated(product_id, kind, related_ids)
        return await self._runner.run(ctx, command, ReplaceRelatedHandler())
