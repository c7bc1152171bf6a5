"""Catalog → a product's version history (CAT-8): who changed what and when, the diff of
any two versions, and restoring one as a new version (sent with the product's version
the page was read at, as the API's If-Match) — ``ListVersions``, ``DiffVersions``,
``RestoreProduct``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from application.catalog.products import (
    DiffVersions,
    GetProduct,
    ListVersions,
    RestoreProduct,
)
from application.shared.context import CallContext
from application.shared.use_cases import UseCases
from domain.shared.errors import DomainError
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.catalog.editor import PRODUCTS
from entrypoints.web.catalog.rendering import catalog_page, refused
from entrypoints.web.pages import done, is_htmx

VERSIONS_PAGE = 50


async def history(
    request: Request[Any, Any, State],
    ctx: CallContext,
    use_cases: UseCases,
    product_id: UUID,
    cursor: str | None = None,
    **context: Any,
) -> Template:
    shown = await use_cases.query(ctx, GetProduct(product_id))
    versions = await use_cases.query(ctx, ListVersions.window(product_id, cursor, VERSIONS_PAGE))
    return await catalog_page(
        request, use_cases, "versions.html", shown=shown, versions=versions, **context
    )


class VersionPages(Controller):
    path = "/products/{product_id:uuid}/versions"

    @get("/", name="console_catalog_versions", opt=needs(ListVersions))
    async def versions(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
        older: FromQuery[int | None] = None,
        newer: FromQuery[int | None] = None,
        cursor: FromQuery[str | None] = None,
    ) -> Template:
        """With ``older`` and ``newer``: their diff too (alone, for htmx)."""
        diff = None
        if older is not None and newer is not None:
            diff = await use_cases.query(ctx, DiffVersions(product_id, older, newer))
            if is_htmx(request):
                return await catalog_page(
                    request, use_cases, "_diff.html", diff=diff, older=older, newer=newer
                )
        return await history(
            request, ctx, use_cases, product_id, cursor, diff=diff, older=older, newer=newer
        )

    @post("/{number:int}/restore", status_code=303, opt=needs(RestoreProduct))
    async def restore(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
        number: FromPath[int],
    ) -> Response[Any] | Template:
        version = str((await request.form()).get("version") or "")
        expected = int(version) if version.isdigit() else None
        try:
            await use_cases.run(ctx, RestoreProduct(product_id, number, expected))
        except DomainError as error:
            return await history(request, ctx, use_cases, product_id, **refused(request, error))
        return done(request, f"{PRODUCTS}/{product_id}/versions", "catalog.restored", number=number)
