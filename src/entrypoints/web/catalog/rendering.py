"""Every catalog page is the console's ``page`` with the catalog's labels for its codes
and the actions whose buttons a page shows only to a role that may run them."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from application.catalog.exports import CatalogExports
from application.catalog.imports import CatalogImports
from application.catalog.listings.publish import PublishListing
from application.catalog.media import MediaService
from application.catalog.products import CreateProduct, RestoreProduct, ReviseProduct
from application.catalog.sku_matrices import GenerateSkus
from application.shared.use_cases import UseCases
from domain.shared.errors import DomainError
from entrypoints.http.problems import status_of
from entrypoints.web.catalog.labels import LABELS
from entrypoints.web.errors import problem_lines
from entrypoints.web.pages import language_of, page

ACTIONS = {
    "create": CreateProduct,
    "revise": ReviseProduct,
    "restore": RestoreProduct,
    "publish": PublishListing,  # and unpublish, channel prices: the same permission
    "upload_media": MediaService.upload,
    "import": CatalogImports.upload,
    "export": CatalogExports.start,
    "generate": GenerateSkus,
}


async def catalog_page(
    request: Request[Any, Any, Any], use_cases: UseCases, template: str, **context: Any
) -> Template:
    return await page(
        request, use_cases, f"catalog/{template}", labels=LABELS, actions=ACTIONS, **context
    )


def refused(request: Request[Any, Any, Any], error: DomainError) -> dict[str, Any]:
    """A refused change shown on the page it was asked from (the user's typing kept): the
    problem's own message and its fields', with the API's status."""
    title, fields = problem_lines(error, language_of(request))
    return {"status": status_of(error), "problem": {"title": title, "fields": fields}}
