"""How the console answers what went wrong, in the page's language: signed out → the
sign-in page (and back afterwards); a permission missing → a page naming it; a refused
change → the problem's own message (with each field's) where the action was taken; a
failure → a page with the request id to quote to support. An htmx request — a boosted
form too, so what was typed stays on the page — gets the message as a fragment for the
page's feedback region; a plain one (no script) a whole page."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.response import Redirect
from litestar_htmx import ClientRedirect, HTMXTemplate

from domain.shared.errors import DomainError, PermissionDenied, ValidationFailed
from entrypoints.http.problems import log_unhandled, status_of
from entrypoints.messages import message
from entrypoints.web.pages import language_of, plain_view, safe_next, through_htmx

LOGIN = "/console/login"


def to_login(request: Request[Any, Any, Any], _: Exception) -> Response[Any]:
    """Sign in, then back: to the page asked for, or — when what was asked was an action
    (a POST cannot be repeated by a redirect) — to the page the action was taken on."""
    if request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        referer = urlsplit(request.headers.get("referer", ""))
        target = referer.path + (f"?{referer.query}" if referer.query else "")
    location = f"{LOGIN}?next={quote(safe_next(target), safe='/')}"
    if through_htmx(request):
        return ClientRedirect(redirect_to=location)
    return Redirect(location)


def problem_lines(error: DomainError, language: str) -> tuple[str, list[tuple[str, str]]]:
    """The problem's title and its fields' messages, as the API's problem+json says them."""
    if isinstance(error, ValidationFailed):
        fields = [(e.field, message(e.code, language, **e.params)) for e in error.errors]
        if len(error.errors) == 1:
            only = error.errors[0]
            return message(only.code, language, **only.params, **error.params), fields
        return message(error.code, language, **error.params), fields
    return message(error.code, language, **error.params), []


def _shown(
    request: Request[Any, Any, Any], status: int, title: str, **context: Any
) -> Response[Any]:
    view = plain_view(request)
    # Never echo the address asked for (it may hold another company's id): the language
    # switch of a problem page returns to the dashboard.
    view.path = "/console"
    values = {
        "v": view,
        "t": view.t,
        "f": view.formats,
        "title": title,
        "status": status,
        "request_id": request.scope.get("state", {}).get("request_id", ""),
        **context,
    }
    if through_htmx(request):
        return HTMXTemplate(
            template_name="_problem.html",
            context=values,
            status_code=status,
            re_target="#feedback",
            re_swap="innerHTML",
        )
    return HTMXTemplate(template_name="problem.html", context=values, status_code=status)


def domain_problem(request: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    language = language_of(request)
    if isinstance(error, PermissionDenied):
        permission = str(error.params.get("permission", ""))
        return _shown(
            request,
            403,
            message("console.forbidden", language),
            detail=message("console.forbidden_detail", language, permission=permission),
            permission=permission,
        )
    title, fields = problem_lines(error, language)
    return _shown(request, status_of(error), title, fields=fields)


def http_problem(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    if isinstance(error, NotAuthorizedException):
        return to_login(request, error)
    language = language_of(request)
    key = "console.not_found" if error.status_code == 404 else "console.bad_request"
    if error.status_code >= 500:
        key = "console.failed"
    return _shown(request, error.status_code, message(key, language))


def failure(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    log_unhandled(error)  # as the API logs it: frames only
    return _shown(request, 500, message("console.failed", language_of(request)))


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: domain_problem,
    HTTPException: http_problem,
    Exception: failure,
}
