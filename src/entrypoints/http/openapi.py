"""The OpenAPI document says what the service does (#9 item 18; docs/decisions.md, 28).

Litestar documents each operation's success and, by default, a 400 in its own shape. The
service answers problem+json (``entrypoints/http/problems.py``) with more statuses, and
which ones an operation can answer follows from what the route declares, so they are
written here once, for every route, rather than by hand on 106 handlers:

- every operation with parameters or a body: 400 (malformed) and 422 (a value refused);
- an authenticated operation (one that declares ``needs(...)``): 401 and 403 (a missing
  permission, a suspended company, an API key asking for a user's own data), and the
  bearer / API key security requirement. A public one (``/health``,
  login) carries no security requirement at all;
- a path with an id: 404; a POST, PUT, PATCH or DELETE: 409 (a conflict with the state);
- ``If-Match`` (the ``expected_version`` dependency): 412 and 428, and the header is
  documented as required, since its absence is a 428;
- a body size cap (uploads): 413; a login or refresh: 429 and 503 (limits, hashing queue);
- a summary (the handler's name in words) and a description (its docstring).

Request bodies are structs that refuse unknown fields, so their schemas say
``additionalProperties: false`` (``StrictStructSchemas``).
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    Example,
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Parameter,
    Schema,
)
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute

from entrypoints.http.permissions import permissions_of
from entrypoints.http.wire import WireOut

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator
    from litestar.typing import FieldDefinition

PROBLEM_MEDIA_TYPE = "application/problem+json"
SECURITY: list[dict[str, list[str]]] = [{"BearerToken": []}, {"ApiKey": []}]
CHANGES = {"POST", "PUT", "PATCH", "DELETE"}
SESSIONS = ("/api/v1/auth/login", "/api/v1/auth/refresh")


class FieldProblemOut(WireOut):
    field: str  # the field or parameter, camelCase as on the wire
    code: str
    message: str  # in the caller's language


class ProblemOut(WireOut):
    """An error (RFC 9457), in the language of Accept-Language."""

    type: str  # urn:shopkeeper:problem:<code>
    title: str  # what went wrong, in the caller's language
    status: int
    code: str  # stable: what programs compare
    request_id: str  # quote it to support; the access log has the same id
    instance: str | None = None
    detail: str | None = None
    errors: list[FieldProblemOut] | None = None  # each refused field, on a 422


# status: (description, an example code)
_STATUSES: dict[int, tuple[str, str]] = {
    400: ("The request is malformed (syntax, a parameter of the wrong type).", "invalid_value"),
    401: ("No valid credentials: sign in, or send a live API key.", "authentication_required"),
    403: ("The caller lacks the permission the operation declares.", "permission_denied"),
    404: ("No such resource in the caller's company.", "not_found"),
    409: ("The request conflicts with the current state.", "conflict"),
    412: (
        "If-Match names an old version: read it again (the body says the current).",
        "stale_version",
    ),
    413: ("The body is larger than the operation accepts.", "payload_too_large"),
    422: ("A value is refused: ``errors`` names each field.", "validation_failed"),
    428: ("If-Match is required: send the ETag you read.", "version_required"),
    429: ("Too many attempts: wait for Retry-After seconds.", "rate_limited"),
    503: ("Busy: try again after Retry-After seconds.", "service_busy"),
}


def _response(status: int) -> ResponseSpec:
    description, code = _STATUSES[status]
    example = {
        "type": f"urn:shopkeeper:problem:{code}",
        "title": description,
        "status": status,
        "code": code,
        "requestId": "9f1c2e7b4d6a4e3f8a0b1c2d3e4f5a6b",
    }
    return ResponseSpec(
        data_container=ProblemOut,
        description=description,
        media_type=PROBLEM_MEDIA_TYPE,
        generate_examples=False,
        examples=[Example(summary=code, value=example)],
    )


def _takes(handler: HTTPRouteHandler, name: str) -> bool:
    return name in inspect.signature(handler.fn).parameters


def statuses_of(handler: HTTPRouteHandler, path: str) -> set[int]:
    """The error statuses the route can answer, from what it declares."""
    found: set[int] = set()
    parameters = [p for p in inspect.signature(handler.fn).parameters if p != "self"]
    if parameters:
        found |= {400, 422}
    if permissions_of(handler) is not None:
        found |= {401, 403}  # 403 also for a suspended company, and caller-only data
    if handler.resolve_guards():
        found.add(403)  # a guard's refusal (/metrics outside the internal networks)
    if "{" in path:
        found.add(404)
    if handler.http_methods & CHANGES:
        found.add(409)
    if _takes(handler, "expected_version"):
        found |= {412, 428}
    if handler.request_max_body_size is not None and "POST" in handler.http_methods:
        found.add(413)
    if path in SESSIONS:
        found |= {401, 429, 503}  # a wrong password, an expired refresh token
    found |= _MORE_STATUSES.get(_plain(path), set())
    return found


def _plain(path: str) -> str:
    """``/x/{id:uuid}`` as the document writes it: ``/x/{id}``."""
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", path)


# What a route answers beyond what it declares (a GET that can conflict with a running job,
# a body naming a missing resource).
_MORE_STATUSES: dict[str, set[int]] = {
    "/api/v1/catalog/exports/{export_id}/file": {409},  # export_not_ready
    # a stock movement naming a warehouse (in its body) that does not exist
    **{
        f"/api/v1/inventory/{movement}": {404}
        for movement in ("receipts", "issues", "adjustments", "state-changes", "return-receipts")
    },
}

# The content types of routes that answer a file, not JSON (the response class sets the
# real one per answer; the document names the family).
_FILE_ANSWERS: dict[str, tuple[str, ...]] = {
    "/api/v1/catalog/media/{media_id}/content": ("image/*", "video/*"),
    "/api/v1/catalog/brands/{brand_id}/logo": ("image/*",),
    "/metrics": ("text/plain",),
}


class ContractInOpenAPI(ReceiveRoutePlugin):
    """Writes every route's error answers and its security requirement on its operation."""

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            _describe(handler, route.path)
            responses = dict(handler.responses or {})
            for status in sorted(statuses_of(handler, route.path)):
                responses.setdefault(status, _response(status))
            handler.responses = responses
            if permissions_of(handler) is not None:
                handler.security = SECURITY
            if _takes(handler, "expected_version"):
                handler.operation_class = _requiring_if_match(handler.operation_class)
            types = _FILE_ANSWERS.get(_plain(route.path))
            if types and "GET" in handler.http_methods:
                handler.operation_class = _answering_files(handler.operation_class, types)


# Operations the framework writes (no docstring of ours to read): summary, description.
_FRAMEWORK_OPERATIONS = {
    "/metrics": (
        "Metrics",
        "Prometheus metrics, in the text exposition format (internal networks only).",
    ),
}


def _describe(handler: HTTPRouteHandler, path: str) -> None:
    """Every operation has a summary and a description: the summary is the handler's name in
    words ("list_endpoints" -> "List endpoints") unless it gives one (``summary=``); the
    description is its docstring (reST ``literals`` as Markdown `code`)."""
    if path in _FRAMEWORK_OPERATIONS:
        handler.summary, handler.description = _FRAMEWORK_OPERATIONS[path]
        return
    if not handler.summary:
        words = handler.fn.__name__.strip("_").replace("_", " ")
        handler.summary = words[:1].upper() + words[1:]
    if not handler.description and handler.fn.__doc__:
        handler.description = inspect.cleandoc(handler.fn.__doc__).replace("``", "`")


_REQUIRING_IF_MATCH: dict[type[Operation], type[Operation]] = {}


def _requiring_if_match(operation: type[Operation]) -> type[Operation]:
    """The operation with its If-Match header documented as required: the dependency reads
    it as optional so that a missing one is a 428 problem (not a 400), yet no request
    without it succeeds."""
    if operation in _REQUIRING_IF_MATCH:
        return _REQUIRING_IF_MATCH[operation]

    @dataclass
    class OperationRequiringIfMatch(operation):  # type: ignore[valid-type,misc]
        def __post_init__(self) -> None:
            for parameter in self.parameters or []:
                if isinstance(parameter, Parameter) and parameter.name.lower() == "if-match":
                    parameter.required = True
                    parameter.schema = Schema(type=OpenAPIType.STRING)

    _REQUIRING_IF_MATCH[operation] = OperationRequiringIfMatch
    return OperationRequiringIfMatch


def _answering_files(operation: type[Operation], types: tuple[str, ...]) -> type[Operation]:
    """The operation with its 200 documented as a file of one of ``types``."""

    @dataclass
    class OperationAnsweringFiles(operation):  # type: ignore[valid-type,misc]
        def __post_init__(self) -> None:
            answer = (self.responses or {}).get("200")
            if isinstance(answer, OpenAPIResponse):
                binary = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
                answer.content = {t: OpenAPIMediaType(schema=binary) for t in types}

    return OperationAnsweringFiles


class StrictStructSchemas(StructSchemaPlugin):
    """A struct that refuses unknown fields (every ``WireIn``) says so in its schema."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        config = getattr(field_definition.type_, "__struct_config__", None)
        strict = bool(getattr(config, "forbid_unknown_fields", False))
        return strict and super().is_plugin_supported_field(field_definition)

    def to_openapi_schema(
        self, field_definition: FieldDefinition, schema_creator: SchemaCreator
    ) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        schema.additional_properties = False
        return schema
