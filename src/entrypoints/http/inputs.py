"""Everything a request carries is checked here, once, before a handler sees it (#9, items
6, 8 and 15; docs/decisions.md, "Input is checked once, at the edge").

Request bodies. ``EdgeRequest.json`` — what Litestar calls to read a JSON body — decodes
the body straight into the handler's wire type with msgspec in strict mode, as the OpenAPI
document describes it: ``0`` or ``"true"`` is no boolean, a Unix number is no date-time.
Before decoding it refuses invalid UTF-8 and nesting deeper than ``MAX_DEPTH``; after, it
walks the decoded value once and refuses a NUL character in any string (PostgreSQL cannot
store one) and a date outside the accepted years (``domain.shared.dates``). Every refusal
names the field (``skus[0].code``) with a translated message; a missing required field is
``required`` at its own path, not a type error of ``data``.

Parameters. ``ParameterGuard`` (a middleware, after routing and before authentication)
checks each query and path parameter the handler declares against its type: integers are
decimal and within PostgreSQL's ``integer`` (every id-like number in the schema is one),
booleans are ``true`` or ``false``, date-times are RFC 3339 within the accepted years, and
no text holds a NUL. ``malformed_path_parameter`` tells the 404 handler when a path only
failed to match because one of its parameters is malformed (``/products/not-a-uuid``): that
is a 422 naming the parameter, not "no such endpoint".
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl
from uuid import UUID

import msgspec
from litestar import Litestar, Request
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType, ScopeType
from litestar.handlers import HTTPRouteHandler
from litestar.params import ParameterKwarg
from litestar.types import ASGIApp, Empty, Receive, Scope, Send
from litestar.typing import FieldDefinition

from domain.shared.dates import range_error, within_range
from domain.shared.errors import FieldError, ValidationFailed

MAX_DEPTH = 32
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
_NUL_ESCAPE = b"\\u0000"
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_INTEGER = re.compile(r"^[+-]?\d{1,20}$")
_MISSING = re.compile(r"^Object missing required field `([^`]*)`")
_UNKNOWN = re.compile(r"^Object contains unknown field `([^`]*)`")
_AT = re.compile(r" - at `\$(.*)`$")
# Parameters a handler receives that are not read from the query string.
_NOT_QUERY = frozenset({"data", "request", "headers", "state", "scope", "cookies", "body"})


class MalformedRequest(ValidationFailed):
    """The request does not have the shape the document gives it (HTTP 400), as opposed to a
    well-formed request the business refuses (``ValidationFailed``, 422)."""

    code = "invalid_request"


def too_deeply_nested(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON text nests arrays and objects deeper than ``limit``.

    Strings are dropped and only brackets kept (both at C speed); then each pass removes
    the innermost pairs, so the passes needed are the depth itself and a body that is long
    but flat costs one. Malformed text is left to the decoder."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    brackets = _STRINGS.sub(b"", body).translate(None, _NOT_BRACKETS)
    for _ in range(limit):
        shorter = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if shorter == brackets:
            return False
        brackets = shorter
    return bool(brackets)


def _path(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _where(message: str) -> str:
    """``$.skus[0].code`` in a msgspec message -> ``skus[0].code``."""
    found = _AT.search(message)
    return found.group(1).lstrip(".") if found else ""


def _inner(info: Any) -> Any:
    """A type without its metadata, or the one type of an optional."""
    while True:
        if isinstance(info, msgspec.inspect.Metadata):
            info = info.type
        elif isinstance(info, msgspec.inspect.UnionType):
            kinds = [t for t in info.types if not isinstance(t, msgspec.inspect.NoneType)]
            if len(kinds) != 1:
                return info
            info = kinds[0]
        else:
            return info


def is_decimal_at(body_type: Any, key: str) -> bool:
    """Whether the decoder's path (``skus[0].listPrice``, ``prices[...]``) names a
    ``Decimal`` field of the body type."""
    info = _inner(msgspec.inspect.type_info(body_type))
    for part in re.findall(r"\[[^\]]*\]|[^.\[\]]+", key):
        if part.startswith("[") and isinstance(info, msgspec.inspect.DictType):
            info = _inner(info.value_type)
        elif part.startswith("[") and isinstance(info, msgspec.inspect.ListType):
            info = _inner(info.item_type)
        elif isinstance(info, msgspec.inspect.StructType):
            fields = {f.encode_name: f.type for f in info.fields}
            if part not in fields:
                return False
            info = _inner(fields[part])
        else:
            return False
    return isinstance(info, msgspec.inspect.DecimalType)


def _decoding_error(error: msgspec.ValidationError, target: Any) -> ValidationFailed:
    """msgspec's words turned into a field and a code the caller's language can say."""
    text = str(error)
    where = _where(text)
    if found := _MISSING.match(text):
        return MalformedRequest([FieldError(_path(where, found.group(1)), "required")])
    if found := _UNKNOWN.match(text):
        return MalformedRequest([FieldError(_path(where, found.group(1)), "unknown_field")])
    if where and is_decimal_at(target, where):
        return ValidationFailed([FieldError(where, "invalid_amount")])
    detail = _AT.sub("", text)
    return MalformedRequest([FieldError(where or "body", "invalid_value", {"detail": detail})])


def _refused_value(where: str, item: str | int | date) -> FieldError | None:
    if isinstance(item, str):
        return FieldError(where, "invalid_characters") if "\x00" in item else None
    if isinstance(item, date):  # datetime included
        return None if within_range(item) else range_error(where)
    if isinstance(item, bool):
        return None
    return number_range_error(where, item)


def refusals(value: Any, prefix: str = "") -> list[FieldError]:
    """What the decoded body holds that no field may: a NUL in any string (keys too), a
    date outside the accepted years, an integer field beyond 32 bits (a number inside a
    free-form map is JSON, stored as such). Walks every field of every struct, list and
    map."""
    found: list[FieldError] = []
    stack: list[tuple[str, Any, bool]] = [(prefix, value, False)]
    while stack:
        where, item, free = stack.pop()
        if isinstance(item, str | int | date):
            if free and isinstance(item, int):
                continue
            if (refused := _refused_value(where or "body", item)) is not None:
                found.append(refused)
        elif isinstance(item, msgspec.Struct):
            for name, encoded in zip(
                item.__struct_fields__, item.__struct_encode_fields__, strict=True
            ):
                field = getattr(item, name)
                if field is not None and field is not msgspec.UNSET:  # nothing to refuse
                    stack.append((_path(where, encoded), field, False))
        elif isinstance(item, dict):
            for key, inner in item.items():
                if isinstance(key, str) and "\x00" in key:
                    found.append(FieldError(_path(where, "[key]"), "invalid_characters"))
                stack.append((f"{where}[{key}]", inner, True))
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend((f"{where}[{i}]", inner, free) for i, inner in enumerate(item))
    return sorted(found, key=lambda e: e.field)


_INT_GOT_FLOAT = re.compile(r"Expected `int[^`]*`, got `float`")


def _decoded(body: bytes, target: Any) -> Any:
    """Strictly decoded; where a whole number is written as one with a point (``5.0``, a
    JSON integer all the same), read again with such numbers as integers."""
    try:
        return msgspec.json.decode(body, type=target, strict=True)
    except msgspec.ValidationError as error:
        if not _INT_GOT_FLOAT.search(str(error)):
            raise
    plain = _whole_numbers(msgspec.json.decode(body))
    return msgspec.convert(plain, target, strict=True)


def _whole_numbers(value: Any) -> Any:
    """``value`` with every float that is a whole number as an int."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {key: _whole_numbers(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(inner) for inner in value]
    return value


def decode_body(body: bytes, target: Any) -> Any:
    """The body as ``target`` (``Any``: plain JSON), decoded strictly, or the problem."""
    if too_deeply_nested(body):
        raise MalformedRequest([FieldError("body", "too_deeply_nested", {"max": MAX_DEPTH})])
    try:
        value = _decoded(body, target)
    except UnicodeDecodeError:
        raise MalformedRequest([FieldError("body", "invalid_encoding")]) from None
    except msgspec.ValidationError as error:
        raise _decoding_error(error, target) from None
    except msgspec.DecodeError as error:
        detail = str(error)
        raise MalformedRequest([FieldError("body", "malformed_json", {"detail": detail})]) from None
    found = refusals(value)
    if found:
        raise ValidationFailed(found)
    return value


def _body_type(handler: HTTPRouteHandler) -> Any:
    data = handler.parsed_fn_signature.parameters.get("data")
    return Any if data is None else data.annotation


class EdgeRequest(Request[Any, Any, Any]):
    """The app's request class: its JSON body is decoded once, strictly, into the
    handler's wire type (Litestar then accepts the ready value as it is)."""

    async def json(self) -> Any:
        state = self._connection_state
        if state.json is Empty:
            body = await self.body()
            handler = self.route_handler
            target = _body_type(handler) if isinstance(handler, HTTPRouteHandler) else Any
            state.json = decode_body(body or b"null", target)
        self._json = state.json
        return state.json


async def refuse_bad_form(request: Request[Any, Any, Any]) -> None:
    """A multipart form (an upload) checked like a JSON body: no NUL in a field's name or
    value or in a file's name. Run before the handler's arguments are read (the app's
    ``before_request``); the form parsed here is the one Litestar then hands the handler.
    A field that is not a file yet is not UTF-8 text is a 400, like such a JSON body."""
    if request.content_type[0] != RequestEncodingType.MULTI_PART:
        return
    try:
        form = await request.form()
    except UnicodeDecodeError:
        raise MalformedRequest([FieldError("body", "invalid_encoding")]) from None
    found: list[FieldError] = []
    for name, value in form.multi_items():
        text = value.filename if isinstance(value, UploadFile) else value
        if "\x00" in name or (isinstance(text, str) and "\x00" in text):
            found.append(FieldError(name.replace("\x00", ""), "invalid_characters"))
    if found:
        raise ValidationFailed(found)


# --- parameters --------------------------------------------------------------------------


def _scalar(field: FieldDefinition) -> Any:
    """The one non-None type of a parameter's annotation (``int | None`` -> ``int``)."""
    if field.is_optional or field.is_union:
        kinds = [t.annotation for t in field.inner_types if not t.is_none_type]
        return kinds[0] if len(kinds) == 1 else None
    return field.annotation


def check_parameter(name: str, kind: Any, raw: str) -> FieldError | None:
    """The error of one raw query value for a parameter of type ``kind``, if any: a value
    of the wrong type is ``invalid_value`` (400, with the expected form as ``detail``), one
    of the right type but out of range is the range's code (422)."""
    if "\x00" in raw:
        return FieldError(name, "invalid_characters")
    if kind is bool:
        if raw in ("true", "false"):
            return None
        return FieldError(name, "invalid_value", {"detail": "Expected `true` or `false`"})
    if kind is int:
        if not _INTEGER.match(raw):
            return FieldError(name, "invalid_value", {"detail": "Expected `int`"})
        return number_range_error(name, int(raw))
    if kind is Decimal:
        # An amount: a finite number ("NaN" and "Infinity" parse as Decimals, and a filter
        # compared with one silently matches nothing).
        try:
            finite = Decimal(raw).is_finite()
        except ArithmeticError:
            finite = False
        return None if finite else FieldError(name, "invalid_amount")
    if kind in (datetime, date):
        try:
            moment = msgspec.convert(raw, kind, strict=True)
        except msgspec.ValidationError as error:
            return FieldError(name, "invalid_value", {"detail": str(error)})
        return None if within_range(moment) else range_error(name)
    return None


def number_range_error(name: str, value: int) -> FieldError | None:
    if INT_MIN <= value <= INT_MAX:
        return None
    return FieldError(name, "number_out_of_range", {"min": INT_MIN, "max": INT_MAX})


def _query_names(handler: HTTPRouteHandler, path_names: set[str]) -> dict[str, Any]:
    """The handler's query parameters: wire name -> scalar type (cached on the handler)."""
    cached: dict[str, Any] | None = handler.opt.get("_query_types")
    if cached is not None:
        return cached
    dependencies = set(handler.resolve_dependencies())
    found: dict[str, Any] = {}
    for name, field in handler.parsed_fn_signature.parameters.items():
        if name in _NOT_QUERY or name in dependencies or name in path_names:
            continue
        kwarg = field.kwarg_definition
        if isinstance(kwarg, ParameterKwarg):
            if kwarg.header or kwarg.cookie:
                continue
            found[kwarg.query or kwarg.name or name] = _scalar(field)
        elif kwarg is None:
            found[name] = _scalar(field)
    handler.opt["_query_types"] = found
    return found


def parameter_errors(scope: Scope) -> list[FieldError]:
    """Every declared query and path parameter of the request checked against its type."""
    handler = scope.get("route_handler")
    if not isinstance(handler, HTTPRouteHandler):
        return []
    errors: list[FieldError] = []
    path_params: dict[str, Any] = scope.get("path_params") or {}
    for name, value in path_params.items():
        if isinstance(value, str) and "\x00" in value:
            errors.append(FieldError(name, "invalid_characters"))
        elif isinstance(value, int) and (error := number_range_error(name, value)):
            errors.append(error)
    types = _query_names(handler, set(path_params))
    query = parse_qsl(
        scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True, encoding="utf-8"
    )
    for name, raw in query:
        if "\x00" in name or "\x00" in raw:
            errors.append(FieldError(name.replace("\x00", ""), "invalid_characters"))
        elif name in types and (error := check_parameter(name, types[name], raw)):
            errors.append(error)
    return errors


class ParameterGuard:
    """Refuses a request whose parameters do not have their declared types (see above)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and (errors := parameter_errors(scope)):
            if any(error.code == "invalid_value" for error in errors):
                raise MalformedRequest(errors)
            raise ValidationFailed(errors)
        await self.app(scope, receive, send)


# --- paths that match but for a malformed parameter -------------------------------------

_PARAMETER = re.compile(r"^\{(\w+):(\w+)\}$")
_KINDS: dict[str, Any] = {"uuid": UUID, "int": int, "decimal": Decimal, "date": date}
_KINDS["datetime"] = datetime


@functools.lru_cache(maxsize=16)
def _templates(app: Litestar) -> list[list[str]]:
    """The app's parameterised route paths, cut into segments, cached by the app itself (a
    few apps live in a process, tests included; an entry keeps its app, so no later app
    is ever taken for it)."""
    return [_segments(route.path) for route in app.routes if "{" in route.path]


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def malformed_path_parameter(app: Litestar, path: str) -> FieldError | None:
    """When ``path`` would match a route but for one parameter that does not parse as its
    type (``/products/not-a-uuid``), that parameter's error; else None."""
    given = _segments(path)
    for template in _templates(app):
        if len(template) != len(given):
            continue
        malformed: FieldError | None = None
        for expected, raw in zip(template, given, strict=True):
            parameter = _PARAMETER.match(expected)
            if parameter is None:
                if expected != raw:
                    break
                continue
            name, kind = parameter.groups()
            target = _KINDS.get(kind)
            if target is not None and malformed is None and not _parses(raw, target):
                malformed = (
                    FieldError(name, "invalid_id")
                    if target is UUID
                    else FieldError(name, "invalid_value")
                )
        else:
            if malformed is not None:
                return malformed
    return None


def _parses(raw: str, target: Any) -> bool:
    try:
        msgspec.convert(raw, target, strict=False)
    except msgspec.ValidationError:
        return False
    return True
