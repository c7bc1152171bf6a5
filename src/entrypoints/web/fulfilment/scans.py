"""A scan's answer: to htmx (a USB scanner typing into a ``data-scan`` field) the part of
the page it changed with the note of what was scanned; to a plain form post the page again
(303) with that note."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response
from litestar.response import Template

from application.shared.use_cases import UseCases
from entrypoints.messages import message
from entrypoints.web.pages import done, is_htmx, language_of, page


class ScanForm(msgspec.Struct):
    code: str = ""
    serial: str = ""


async def scanned(
    request: Request[Any, Any, Any],
    use_cases: UseCases,
    back: str,
    fragment: str,
    code: str,
    **context: Any,
) -> Template | Response[Any]:
    """``fragment`` with ``context`` and the note "scanned ``code``"."""
    if is_htmx(request):
        note = message("fulfilment.scanned", language_of(request), scanned=code)
        return await page(request, use_cases, fragment, note=note, **context)
    return done(request, back, "fulfilment.scanned", scanned=code)


def pdf_download(pdf: bytes, name: str) -> Response[bytes]:
    """A document to save (the browser downloads it rather than opening it in the tab)."""
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
