"""/api/v1/catalog/products/{id}/related: cross-sell and up-sell links (CAT-9)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, put
from litestar.params import FromPath, JSONBody, Parameter

from application.catalog.related import (
    RelatedView,
    ReplaceRelated,
    ShowRelated,
    parse_kind,
)
from domain.catalog.related import RelationKind
from entrypoints.http.catalog.schemas.media import RelatedIn, RelatedItemOut, RelatedOut
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs


def related_out(view: RelatedView) -> RelatedOut:
    def items(kind: RelationKind) -> list[RelatedItemOut]:
        return [RelatedItemOut(s.id, s.code, s.name) for s in view.links[kind]]

    return RelatedOut(view.product_id, items(RelationKind.CROSS_SELL), items(RelationKind.UP_SELL))


class RelatedProductsController(Controller):
    path = "/products/{product_id:uuid}/related"

    @get("/", opt=needs(ShowRelated))
    async def show_related(
        self, ctx: Context, use_cases: Dispatch, product_id: FromPath[UUID]
    ) -> RelatedOut:
        """Linked products in display order; archived ones are left out (their links stay)."""
        return related_out(await use_cases.query(ctx, ShowRelated(product_id)))

    @put("/{kind:str}", opt=needs(ReplaceRelated))
    async def replace_related(
        self,
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
        kind: Annotated[str, Parameter(schema_extra={"enum": [str(k) for k in RelationKind]})],
        data: JSONBody[RelatedIn],
    ) -> RelatedOut:
        """Replaces the whole list of one kind (``cross_sell`` or ``up_sell``)."""
        view = await use_cases.run(
            ctx, ReplaceRelated(product_id, parse_kind(kind), data.product_ids)
        )
        return related_out(view)
