"""/api/v1/catalog/products/{id}/related: cross-sell and up-sell links (CAT-9)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, put
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody

from application.catalog.related import RelatedProductService, RelatedView, parse_kind
from application.shared.context import CallContext
from domain.catalog.related import RelationKind
from entrypoints.http.catalog.schemas.media import RelatedIn, RelatedItemOut, RelatedOut


def related_out(view: RelatedView) -> RelatedOut:
    def items(kind: RelationKind) -> list[RelatedItemOut]:
        return [RelatedItemOut(s.id, s.code, s.name) for s in view.links[kind]]

    return RelatedOut(view.product_id, items(RelationKind.CROSS_SELL), items(RelationKind.UP_SELL))


def _related(request: Request[CallContext, Any, State]) -> RelatedProductService:
    service: RelatedProductService = request.app.state.container.get(RelatedProductService)
    return service


class RelatedProductsController(Controller):
    path = "/api/v1/catalog/products/{product_id:uuid}/related"
    tags = ["catalog"]

    @get("/")
    async def show_related(
        self, request: Request[CallContext, Any, State], product_id: FromPath[UUID]
    ) -> RelatedOut:
        """Linked products in display order; archived ones are left out (their links stay)."""
        return related_out(await _related(request).show(request.user, product_id))

    @put("/{kind:str}")
    async def replace_related(
        self,
        request: Request[CallContext, Any, State],
        product_id: FromPath[UUID],
        kind: FromPath[str],
        data: JSONBody[RelatedIn],
    ) -> RelatedOut:
        """Replaces the whole list of one kind (``cross_sell`` or ``up_sell``)."""
        view = await _related(request).replace(
            request.user, product_id, parse_kind(kind), data.product_ids
        )
        return related_out(view)
