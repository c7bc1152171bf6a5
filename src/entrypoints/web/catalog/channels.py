"""Catalog → a product on its sales channels: publish (上架) and unpublish (下架) per channel,
and the channel's prices per SKU (blank: the list price applies) — the API's
``PublishListing``, ``UnpublishListing`` and ``SetListingPrices``. A refusal (a blocker,
a stale listing) shows on the product page with the problem's message."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, post
from litestar.datastructures import FormMultiDict, State
from litestar.params import FromPath
from litestar.response import Template

from application.catalog.listings.publish import PublishListing
from application.catalog.listings.set_prices import SetListingPrices
from application.catalog.listings.unpublish import UnpublishListing
from application.shared.use_case import Command
from domain.shared.errors import DomainError, FieldError, ValidationFailed
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.catalog.editor import PRODUCTS, refused_on_product
from entrypoints.web.pages import done


def channel_of(form: FormMultiDict) -> UUID:
    """The channel the action is for (the form's ``channel``, as the API's body names it)."""
    try:
        return UUID(str(form.get("channel") or ""))
    except ValueError:
        raise ValidationFailed.single("channel", "invalid_id") from None


def channel_prices(form: FormMultiDict) -> dict[UUID, Decimal]:
    """``price_<sku id>`` fields; a blank one is no channel price for that SKU."""
    prices: dict[UUID, Decimal] = {}
    errors: list[FieldError] = []
    for name, value in form.items():
        if not name.startswith("price_") or not str(value).strip():
            continue
        try:
            prices[UUID(name.removeprefix("price_"))] = Decimal(str(value).strip())
        except (ValueError, InvalidOperation):
            errors.append(FieldError(f"prices[{name.removeprefix('price_')}]", "invalid_amount"))
    if errors:
        raise ValidationFailed(errors)
    return prices


class ChannelPages(Controller):
    path = "/products"

    async def _run(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        product_id: UUID,
        command: Callable[[], Command[Any]],
        text: str,
    ) -> Response[Any] | Template:
        """Run ``command`` (made here, so a malformed form is refused alike), then back to
        the product page with a note; a refusal is the product page with its message."""
        try:
            await use_cases.run(ctx, command())
        except DomainError as error:
            return await refused_on_product(request, ctx, use_cases, product_id, error)
        return done(request, f"{PRODUCTS}/{product_id}", text)

    @post("/{product_id:uuid}/publish", status_code=303, opt=needs(PublishListing))
    async def publish(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
    ) -> Response[Any] | Template:
        form = await request.form()
        return await self._run(
            request,
            ctx,
            use_cases,
            product_id,
            lambda: PublishListing(product_id, channel_of(form)),
            "catalog.published",
        )

    @post("/{product_id:uuid}/unpublish", status_code=303, opt=needs(UnpublishListing))
    async def unpublish(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
    ) -> Response[Any] | Template:
        form = await request.form()
        return await self._run(
            request,
            ctx,
            use_cases,
            product_id,
            lambda: UnpublishListing(product_id, channel_of(form)),
            "catalog.unpublished",
        )

    @post("/{product_id:uuid}/prices", status_code=303, opt=needs(SetListingPrices))
    async def prices(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
    ) -> Response[Any] | Template:
        form = await request.form()
        version = str(form.get("version") or "")
        return await self._run(
            request,
            ctx,
            use_cases,
            product_id,
            lambda: SetListingPrices(
                product_id,
                channel_of(form),
                channel_prices(form),
                int(version) if version.isdigit() else None,
            ),
            "catalog.prices_saved",
        )
