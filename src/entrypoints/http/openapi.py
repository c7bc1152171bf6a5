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
import typing
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin
from uuid import UUID

import msgspec
import msgspec.inspect
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
    Reference,
    Schema,
)
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute

from domain.catalog.checks import PLAIN_DECIMAL
from domain.shared.dates import EARLIEST_YEAR, LATEST_YEAR
from domain.shared.text import character_class, is_control
from entrypoints.http.inputs import INT_MAX, INT_MIN
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
    if "{" in path or _body_names_by_id(handler):
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


# What a route answers beyond what it declares (a GET that can conflict with a running job).
_MORE_STATUSES: dict[str, set[int]] = {
    "/api/v1/catalog/exports/{export_id}/file": {409},  # export_not_ready
    "/api/v1/inventory/picking-suggestion": {404},  # the SKU named by skuId
}


def _body_names_by_id(handler: HTTPRouteHandler) -> bool:
    """Whether the request body holds an id anywhere (a SKU, a warehouse, an order): the
    use case loads what it names, so a missing one is a 404 like a missing path id."""
    data = handler.parsed_fn_signature.parameters.get("data")
    body = data.annotation if data is not None else None
    while typing.get_origin(body) is Annotated:
        body = typing.get_args(body)[0]
    if not (isinstance(body, type) and issubclass(body, msgspec.Struct)):
        return False
    return _holds_uuid(msgspec.inspect.type_info(body), set())


def _holds_uuid(info: msgspec.inspect.Type, seen: set[type]) -> bool:
    if isinstance(info, msgspec.inspect.UUIDType):
        return True
    if isinstance(info, msgspec.inspect.StructType):
        if info.cls in seen:
            return False
        seen.add(info.cls)
        return any(_holds_uuid(f.type, seen) for f in info.fields)
    inner: list[msgspec.inspect.Type] = []
    if isinstance(info, msgspec.inspect.Metadata):
        inner = [info.type]
    elif isinstance(info, msgspec.inspect.UnionType):
        inner = list(info.types)
    elif isinstance(info, msgspec.inspect.ListType | msgspec.inspect.SetType):
        inner = [info.item_type]
    elif isinstance(info, msgspec.inspect.DictType):
        inner = [info.key_type, info.value_type]
    return any(_holds_uuid(t, seen) for t in inner)


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
            edits: list[OperationEdit] = [_bounded_parameters]
            if _takes(handler, "expected_version"):
                edits.append(_requiring_if_match)
            types = _FILE_ANSWERS.get(_plain(route.path))
            if types and "GET" in handler.http_methods:
                edits.append(_answering_files(types))
            handler.operation_class = _edited(handler.operation_class, tuple(edits))


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


OperationEdit = Callable[[Operation], None]


def _edited(operation: type[Operation], edits: tuple[OperationEdit, ...]) -> type[Operation]:
    """``operation`` with ``edits`` applied to each instance once Litestar has built it (an
    operation is built per document; its parameters and answers exist only then)."""

    @dataclass
    class EditedOperation(operation):  # type: ignore[valid-type,misc]
        def __post_init__(self) -> None:
            for edit in edits:
                edit(self)

    return EditedOperation


def _bounded_parameters(operation: Operation) -> None:
    """An integer in a path or a query is refused outside 32 bits (``number_out_of_range``),
    a date outside the accepted years (``date_out_of_range``), free text with the
    characters a body's text refuses (``invalid_characters``: a warehouse's code)."""
    for parameter in operation.parameters or []:
        schema = parameter.schema if isinstance(parameter, Parameter) else None
        for part in [schema, *(schema.one_of or [] if isinstance(schema, Schema) else [])]:
            if isinstance(part, Schema):
                _dated(part)
                _bounded(part)
                if (
                    _is_text(part)
                    and isinstance(parameter, Parameter)
                    and parameter.param_in == "query"
                ):
                    part.pattern = TEXT


def _requiring_if_match(operation: Operation) -> None:
    """If-Match documented as required: the dependency reads it as optional so that a
    missing one is a 428 problem (not a 400), yet no request without it succeeds."""
    for parameter in operation.parameters or []:
        if isinstance(parameter, Parameter) and parameter.name.lower() == "if-match":
            parameter.required = True
            parameter.schema = Schema(type=OpenAPIType.STRING)


def _answering_files(types: tuple[str, ...]) -> OperationEdit:
    """The operation's 200 documented as a file of one of ``types``."""

    def edit(operation: Operation) -> None:
        answer = (operation.responses or {}).get("200")
        if isinstance(answer, OpenAPIResponse):
            binary = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
            answer.content = {t: OpenAPIMediaType(schema=binary) for t in types}

    return edit


class StrictStructSchemas(StructSchemaPlugin):
    """A struct that refuses unknown fields (every ``WireIn``) says so in its schema, and
    says what the service refuses in its text (``text_rules``) and which fields name the
    same thing two ways (``WireIn.EXCLUSIVE``, ``WireIn.ONE_NEEDED``)."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        config = getattr(field_definition.type_, "__struct_config__", None)
        strict = bool(getattr(config, "forbid_unknown_fields", False))
        return strict and super().is_plugin_supported_field(field_definition)

    def to_openapi_schema(
        self, field_definition: FieldDefinition, schema_creator: SchemaCreator
    ) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        schema.additional_properties = False
        text_rules(schema)
        struct = field_definition.type_
        _containers(struct, schema)
        either: list[Schema | Reference] = []
        for pair in getattr(struct, "EXCLUSIVE", ()):
            either.append(Schema(schema_not=Schema(required=list(pair))))
        for pair in getattr(struct, "ONE_NEEDED", ()):
            given = [
                Schema(required=[name], properties={name: Schema(schema_not=NULL)}) for name in pair
            ]
            either.append(Schema(any_of=list(given)))
        if either:
            schema.all_of = either
        return schema


NULL = Schema(type=OpenAPIType.NULL)
DECIMAL_FORMAT: Any = "decimal"  # not one of OpenAPI's own formats


# What the service refuses in text (docs/decisions.md, 44): a NUL anywhere (the HTTP layer),
# and control and format characters in the fields the domain checks (Unicode categories Cc
# and Cf; tab, line feed and carriage return are whitespace, kept or folded). The document
# states the strictest of these for every text field of a body without a pattern of its
# own, so a client that keeps to it is never refused for its characters. Characters
# outside the Basic Multilingual Plane are not listed (a pattern cannot name them in
# every dialect); the few format characters there are refused all the same.
_REFUSED = character_class(
    [c for c in range(0x10000) if is_control(chr(c)) and chr(c) not in "\t\n\r"]
)
TEXT = f"^[^{_REFUSED}]*$"
# A required text field that is blank (or only spaces) is refused as missing (``required``).
FILLED_TEXT = f"^(?=[\\s\\S]*\\S)[^{_REFUSED}]*$"


# Dates and times are refused outside the accepted years (``date_out_of_range``).
# (whole centuries: the years run from a century's first to a century's last)
_CENTURIES = range(EARLIEST_YEAR // 100, LATEST_YEAR // 100 + 1)
DATED = f"^(?:{'|'.join(str(c) for c in _CENTURIES)})[0-9]{{2}}-"


def _containers(struct: type, schema: Schema) -> None:
    """What a field's annotation states about a map's keys and values and a list's items
    (Litestar drops it there): ``dict[UUID, AmountIn]`` says its keys are UUIDs and its
    values amounts; ``list[Permission]`` says its items are permissions."""
    for found in msgspec.structs.fields(struct):
        prop = (schema.properties or {}).get(found.encode_name)
        for part in [prop, *(prop.one_of or [] if isinstance(prop, Schema) else [])]:
            if not isinstance(part, Schema):
                continue
            if part.type == OpenAPIType.OBJECT and (types := _map_types(found.type)):
                key, value = types
                if key is UUID:
                    part.property_names = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.UUID)
                elif (keys := _stated(key)) and "pattern" in keys:
                    part.property_names = Schema(type=OpenAPIType.STRING, pattern=keys["pattern"])
                _apply(_stated(value), part.additional_properties)
            if part.type == OpenAPIType.ARRAY and (item := _item_type(found.type)) is not None:
                _apply(_stated(item), part.items)
            if part.type == OpenAPIType.STRING and _is_plain_decimal(found.type):
                # decimal text, not free text (a field that states more uses AmountIn)
                part.format, part.pattern = DECIMAL_FORMAT, PLAIN_DECIMAL.pattern


def _apply(stated: dict[str, Any], schema: object) -> None:
    if isinstance(schema, Schema):
        for key in ("format", "pattern", "enum"):
            if key in stated:
                setattr(schema, key, stated[key])


def _is_plain_decimal(annotation: object) -> bool:
    """``Decimal`` or ``Decimal | None`` with nothing stated on it."""
    if annotation is Decimal:
        return True
    args = get_args(annotation)
    return get_origin(annotation) is not Annotated and Decimal in args and len(args) <= 2


def _stated(annotation: object) -> dict[str, Any]:
    """What ``stated(...)`` (or an ``extra`` schema) says on an annotated type."""
    if get_origin(annotation) is not Annotated:
        return {}
    found: dict[str, Any] = {}
    for meta in get_args(annotation)[1:]:
        found |= (getattr(meta, "extra_json_schema", None) or {}).get("extra", {})
    return found


def _map_types(annotation: object) -> tuple[object, object] | None:
    """The key and value types of a map (optional or annotated), else None."""
    if get_origin(annotation) is Annotated:
        return _map_types(get_args(annotation)[0])
    if get_origin(annotation) is dict:
        key, value = get_args(annotation)
        return key, value
    for arg in get_args(annotation):  # an optional one
        if (found := _map_types(arg)) is not None:
            return found
    return None


def _item_type(annotation: object) -> object | None:
    """The item type of a list (optional or annotated), else None."""
    if get_origin(annotation) is Annotated:
        return _item_type(get_args(annotation)[0])
    if get_origin(annotation) is list:
        item: object = get_args(annotation)[0]
        return item
    for arg in get_args(annotation):
        if (found := _item_type(arg)) is not None:
            return found
    return None


def _bounded(schema: Schema) -> None:
    """An integer (or a whole number written with a point, read as one) is refused
    outside 32 bits (``number_out_of_range``)."""
    if schema.type in (OpenAPIType.INTEGER, OpenAPIType.NUMBER):
        schema.minimum = INT_MIN if schema.minimum is None else max(schema.minimum, INT_MIN)
        schema.maximum = INT_MAX if schema.maximum is None else min(schema.maximum, INT_MAX)


def _dated(schema: Schema) -> None:
    if schema.format in (OpenAPIFormat.DATE_TIME, OpenAPIFormat.DATE) and not schema.pattern:
        schema.pattern = DATED


def _is_text(schema: Schema) -> bool:
    return (
        schema.type == OpenAPIType.STRING
        and schema.format is None
        and schema.pattern is None
        and schema.enum is None
        and schema.const is None
    )


def text_rules(schema: Schema) -> None:
    """Each free-text property (a string with no format, pattern or choices of its own, or a
    list of them) documents the characters refused; a required one, or one with a minimum
    length, that it may not be blank."""
    required = set(schema.required or [])
    for name, prop in (schema.properties or {}).items():
        if not isinstance(prop, Schema):
            continue
        filled = name in required or (prop.min_length or 0) >= 1
        own_rule = prop.pattern is not None or prop.format is not None or prop.enum is not None
        for part in _within(prop):
            _dated(part)
            _bounded(part)
            if own_rule or not _is_text(part):
                continue  # a code, an email, a choice: its own rule, beside the oneOf too
            part.pattern = FILLED_TEXT if filled and part is prop else TEXT
            if filled and part is prop:
                part.min_length = max(part.min_length or 0, 1)


def _within(schema: Schema) -> list[Schema]:
    """``schema`` and the schemas inside it: the choices of a ``oneOf``, a list's items, a
    map's values (not those behind a reference: they are stated where they are defined)."""
    found = [schema]
    inner = [*(schema.one_of or []), schema.items, schema.additional_properties]
    for part in inner:
        if isinstance(part, Schema):
            found.extend(_within(part))
    return found
