"""After a form's action: the page again (303) with the note of what was done, in the
page's language."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Redirect

from entrypoints.messages import message
from entrypoints.web.pages import language_of
from entrypoints.web.session import flash


def done(request: Request[Any, Any, Any], back: str, key: str, **params: Any) -> Redirect:
    """Redirect to ``back`` with the success note ``key`` (a console message id)."""
    flash(request, "success", message(key, language_of(request), **params))
    return Redirect(back, status_code=303)
