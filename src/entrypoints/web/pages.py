"""What every console page is rendered with: the signed-in user and company (``WhoAmI``),
the language, the formats of the company's zone and currency, the menu the role may see
and the messages left for this page. A page handler runs its use cases, then returns
``await page(request, use_cases, "orders/list.html", orders=...)``; a template reads
``v`` (this view), ``t`` (a message in the page's language) and its own values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response
from litestar.response import Redirect, Template
from litestar_htmx import ClientRedirect, HTMXTemplate

from application.identity.users.me import Me, WhoAmI
from application.shared.context import CallContext
from application.shared.tenant_terms import DEFAULT_CURRENCY, DEFAULT_TIME_ZONE
from application.shared.use_case import permission_of
from application.shared.use_cases import UseCases
from entrypoints.messages import DEFAULT_LANGUAGE, LANGUAGES, message
from entrypoints.web.auth import asked_language
from entrypoints.web.formats import Formats
from entrypoints.web.menu import MenuItem, menu_for
from entrypoints.web.session import flash, take_flashes

HOME = "/console"
LANGUAGE_NAMES = {"zh-CN": "简体中文", "zh-TW": "繁體中文", "en": "English"}


@dataclass
class View:
    language: str
    path: str
    formats: Formats
    ctx: CallContext | None = None
    me: Me | None = None
    menu: list[MenuItem] = field(default_factory=list)
    flashes: list[dict[str, Any]] = field(default_factory=list)
    languages: tuple[str, ...] = LANGUAGES
    language_names: dict[str, str] = field(default_factory=lambda: LANGUAGE_NAMES)

    def t(self, label: str, /, **params: Any) -> str:
        return message(label, self.language, **params)

    def can(self, use_case: object) -> bool:
        """The user may run ``use_case`` (a command or query class): show its button."""
        permission = permission_of(use_case)
        return self.ctx is not None and (
            permission is None or permission == "signed_in" or permission in self.ctx.permissions
        )

    def current(self, item: MenuItem) -> bool:
        """The entry of this page: its own, or the nearest above it (the dashboard is only
        its own)."""
        home = item.href == "/console"
        return self.path == item.href or (not home and self.path.startswith(item.href + "/"))


def language_of(request: Request[Any, Any, Any]) -> str:
    caller = request.scope.get("user")
    if isinstance(caller, CallContext):
        return caller.locale
    return asked_language(request) or DEFAULT_LANGUAGE


def safe_next(target: str) -> str:
    """Only a console page of this site: never another host (an open redirect)."""
    if target.startswith("/console") and not target.startswith("//") and "\\" not in target:
        return target
    return HOME


def through_htmx(request: Request[Any, Any, Any]) -> bool:
    """Sent by htmx, a boosted form included: a refusal is answered into ``#feedback``
    (the form stays as typed), a success with an ``HX-Redirect``."""
    return request.headers.get("hx-request") == "true"


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    """htmx asks for a part of a page (live search, a poll, a scan): answer the fragment.
    A boosted form (``HX-Boosted``, console.js) is answered as a plain post would be."""
    return through_htmx(request) and request.headers.get("hx-boosted") != "true"


def plain_view(request: Request[Any, Any, Any]) -> View:
    """The view without reading anything (an error page): default formats, no company."""
    language = language_of(request)
    caller = request.scope.get("user")
    ctx = caller if isinstance(caller, CallContext) else None
    return View(
        language,
        request.url.path,
        Formats(language, ZoneInfo(DEFAULT_TIME_ZONE), DEFAULT_CURRENCY),
        ctx,
        None,
        menu_for(ctx.permissions) if ctx else [],
        # A fragment has no #feedback: the notes wait for the next whole page.
        [] if through_htmx(request) else take_flashes(request),
    )


async def view_of(request: Request[Any, Any, Any], use_cases: UseCases | None) -> View:
    view = plain_view(request)
    if view.ctx is not None and use_cases is not None:
        view.me = me = await use_cases.query(view.ctx, WhoAmI())
        view.formats = Formats(view.language, ZoneInfo(me.time_zone), me.currency)
    return view


async def page(
    request: Request[Any, Any, Any],
    use_cases: UseCases | None,
    template: str,
    *,
    status: int = 200,
    view: View | None = None,
    **context: Any,
) -> Template:
    """The page ``template`` with ``context``; ``view`` when the handler already made it
    (to ask ``view.can`` before choosing what to read)."""
    view = view or await view_of(request, use_cases)
    return HTMXTemplate(
        template_name=template,
        context={"v": view, "t": view.t, "f": view.formats, **context},
        status_code=status,
        headers={"Content-Language": view.language, "Vary": "HX-Request"},
    )


def done(
    request: Request[Any, Any, Any], location: str, said: str, /, **params: Any
) -> Response[Any]:
    """After a change: say so (the message ``said``) on the next page and go there — a 303
    for a plain form, an ``HX-Redirect`` for an htmx one, boosted forms included (the
    browser then loads it)."""
    flash(request, "success", said, **params)
    if through_htmx(request):
        redirect = ClientRedirect(redirect_to=location)
        redirect.status_code = 200  # not the route's 303: a 3xx with no Location is no answer
        return redirect
    return Redirect(location, status_code=303)
