"""problem+json errors (RFC 9457) in the caller's language (PLT-7).

Domain errors carry a stable code; here it becomes a status, a problem type and a message
in zh-CN, zh-TW or en chosen by Accept-Language. Unexpected errors are logged with the
request id and answered with a generic 500 that reveals nothing.
"""

from __future__ import annotations

import re
import traceback
from typing import Any

import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.plugins.problem_details import ProblemDetailsException

from application.shared.context import CallContext
from domain.shared.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    FieldError,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServiceBusy,
    StaleVersion,
    TenantSuspended,
    ValidationFailed,
    VersionRequired,
)
from entrypoints.http.conventions import etag
from entrypoints.http.inputs import MalformedRequest, malformed_path_parameter
from entrypoints.http.wire import camel
from entrypoints.messages import DEFAULT_LANGUAGE, asked_for, message

PROBLEM_TYPE = "urn:shopkeeper:problem:{code}"

_STATUS_BY_CLASS: list[tuple[type[DomainError], int]] = [
    (NotFound, 404),
    (TenantSuspended, 403),
    (PermissionDenied, 403),
    (AuthenticationFailed, 401),
    (ServiceBusy, 503),
    (RateLimited, 429),
    (StaleVersion, 412),
    (VersionRequired, 428),
    (Conflict, 409),
    (MalformedRequest, 400),
    (ValidationFailed, 422),
]
_STATUS_BY_CODE = {"idempotency_key_reused": 422, "file_too_large": 413}
_CODE_BY_HTTP_STATUS = {
    400: "invalid_request",
    401: "authentication_required",
    404: "route_not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    503: "service_unavailable",
}

log = structlog.get_logger("shopkeeper.http")


def language_of(request: Request[Any, Any, Any], company_locale: str | None = None) -> str:
    """Accept-Language's choice; without one, the caller's company's default language once
    the caller is known (the call context carries it); before that, the language of the
    company the error concerns when it may say it (``DomainError.locale``, decision 42);
    else the service's."""
    asked = asked_for(request.headers.get("accept-language"))
    if asked:
        return asked
    caller = request.scope.get("user")
    if isinstance(caller, CallContext):
        return caller.locale
    return company_locale or DEFAULT_LANGUAGE


def status_of(error: DomainError) -> int:
    if error.code in _STATUS_BY_CODE:
        return _STATUS_BY_CODE[error.code]
    for cls, status in _STATUS_BY_CLASS:
        if isinstance(error, cls):
            return status
    return 400


def _problem(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    params: dict[str, Any],
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    language: str | None = None,
) -> Response[Any]:
    language = language or language_of(request)
    body: dict[str, Any] = {
        "code": code,
        "requestId": request.scope.get("state", {}).get("request_id", ""),
    }
    body.update(extra or {})
    said = message(code, language, **params)
    return ProblemDetailsException(
        type_=PROBLEM_TYPE.format(code=code),
        title=said,
        # The occurrence in the caller's language: Litestar's default detail is the status
        # line's English phrase ("Conflict"), which a zh-CN caller could not act on.
        detail=said,
        status_code=status,
        instance=request.url.path,
        extra=body,
        headers={"Content-Language": language, **(headers or {})},
    ).to_response(request)


def domain_error_handler(request: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    language = language_of(request, error.locale)
    extra: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if isinstance(error, ValidationFailed):
        # A decoder's own words ("Expected `int`, got `str`") stay beside the message as
        # ``detail``: English and technical, but exact.
        extra["errors"] = [
            {
                "field": e.field,
                "code": e.code,
                "message": message(e.code, language, **e.params),
                **({"detail": str(e.params["detail"])} if "detail" in e.params else {}),
            }
            for e in error.errors
        ]
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, AuthenticationFailed):
        headers["WWW-Authenticate"] = 'Bearer realm="shopkeeper"'
    if isinstance(error, StaleVersion) and isinstance(error.params.get("actual"), int):
        # The version to read again, as a later GET would tag it (RFC 9110 §13.1.1).
        headers["ETag"] = etag(error.params["actual"])
    params = dict(error.params)
    extra.update({camel(name): params[name] for name in error.shown if name in params})
    if isinstance(error, MalformedRequest):
        # The request's shape is wrong: "malformed", with each field named in ``errors``.
        return _problem(request, 400, error.code, params, extra, headers, language)
    if isinstance(error, ValidationFailed) and len(error.errors) == 1:
        # A single field error: say what is wrong in the title, not just "invalid".
        only = error.errors[0]
        return _problem(
            request,
            status_of(error),
            only.code,
            {**only.params, **params},
            {**extra, "code": only.code},
            headers,
            language,
        )
    return _problem(request, status_of(error), error.code, params, extra, headers, language)


_MISSING_PARAMETER = re.compile(
    r"Missing required (?:query parameter|header|cookie|path parameter) '([^']+)'"
)


def http_error_handler(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    status = error.status_code
    if status == 404 and (malformed := malformed_path_parameter(request.app, request.url.path)):
        return domain_error_handler(request, ValidationFailed([malformed]))
    if status == 400 and (missing := _MISSING_PARAMETER.match(str(error.detail))):
        # Litestar's words name the parameter: the problem names it, in the caller's language
        return domain_error_handler(request, MalformedRequest([FieldError(missing[1], "required")]))
    if status >= 500:
        log.error("http_error", status=status)
    code = _CODE_BY_HTTP_STATUS.get(status, "invalid_request" if status < 500 else "internal_error")
    extra: dict[str, Any] = {}
    if status == 400 and isinstance(error.extra, list):
        # The decoder's own words ("Invalid UUID", "Expected `int`") are English and
        # technical: the message is in the caller's language, the decoder's stays as detail.
        language = language_of(request)
        extra["errors"] = [
            {
                "field": _wire_name(request, str(item.get("key", ""))),
                "code": "invalid_value",
                "message": message("invalid_value", language),
                "detail": str(item.get("message", "")),
            }
            for item in error.extra
            if isinstance(item, dict)
        ]
    return _problem(request, status, code, {}, extra, dict(error.headers or {}))


def _wire_name(request: Request[Any, Any, Any], key: str) -> str:
    """A parameter as the caller sends it: Litestar names some by the handler's argument
    (``ordering``), the API by its declared name (``order``)."""
    try:
        found = request.route_handler.parsed_fn_signature.parameters.get(key)
    except AttributeError:  # no route matched
        return key
    definition = getattr(found, "kwarg_definition", None)
    declared = getattr(definition, "query", None) or getattr(definition, "name", None)
    return declared if isinstance(declared, str) and declared else key


def log_unhandled(error: Exception) -> None:
    # Frames only: exception messages (e.g. a unique-violation detail) may hold personal data.
    frames = [
        f"{f.filename}:{f.lineno} {f.name}"
        for f in traceback.extract_tb(error.__traceback__)
        if "site-packages" not in f.filename
    ]
    log.error("unhandled_error", error_type=type(error).__name__, frames=frames[-12:])


def internal_error_handler(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    log_unhandled(error)
    return _problem(request, 500, "internal_error", {})
