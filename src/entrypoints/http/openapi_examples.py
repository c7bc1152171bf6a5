"""An example for every operation (#9 item 18): each request body and each JSON answer of
the OpenAPI document carries one, made from its schema once the document is built.

The values are chosen by a field's format, pattern, choices and name — an id is a UUID, a
time has the company's offset, a code matches its pattern, a name reads like one — and
keep every rule the schema states (``tests/e2e/platform/test_openapi_examples.py``
validates each against its schema), so the fuzzer's example phase sends them as valid
requests. A schema the generator cannot satisfy gets no example, and that test names it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.openapi.spec import OpenAPI, OpenAPIMediaType, Operation, Reference

EXAMPLE_ID = "01a24cee-6a09-740d-b588-294d19422aca"
EXAMPLE_TIME = "2026-12-06T10:30:00+08:00"
EXAMPLE_DATE = "2026-12-06"

# Text by a field's name (camelCase, as on the wire).
_NAMED: dict[str, str] = {
    "name": "纯棉圆领T恤",
    "displayName": "王小明",
    "description": "180 g combed cotton, pre-shrunk.",
    "email": "buyer@example.com",
    "phone": "13800138000",
    "password": "correct-horse-battery-staple",
    "tenant": "demo",
    "reason": "damaged in the warehouse",
    "note": "monthly count",
    "q": "蓝牙耳机",
    "channel": "tmall",
    "shopGroup": "tmall-main",  # ORD-4
    "warehouse": "SH-MAIN",
    "batchNo": "B20261206-01",  # INV-8
    "serial": "SN-000123",
    "source": "SH-MAIN",
    "destination": "GZ-3PL",
    "category": "服装 > 男装",
    "parent": "服装",
    "brand": "棉语",
    "province": "浙江省",
    "city": "杭州市",
    "district": "西湖区",
    "line": "文三路 90 号",
    "postalCode": "310012",
    "url": "https://hooks.example.com/shopkeeper",
    "shippingRegion": "浙江省",
    "material": "精梳棉",
    "weightGrams": "180",
    "barcode": "6901234567892",
    "unit": "g",
    "baseCode": "TS",
    "sourceType": "manual",
    "title": "纯棉圆领T恤",
}
# Values for the patterns the document states (checked against the pattern all the same).
_BY_PATTERN: list[str] = [
    "TS-01",
    "tmall",
    "own_shop",
    "99.50",
    "12.345678",
    "catalog.product.created",
    "https://hooks.example.com/shopkeeper",
    "demo-key-20261206",
]


def _text(name: str, schema: dict[str, Any]) -> str | None:
    pattern = schema.get("pattern")
    candidates = [_NAMED.get(name, ""), *_BY_PATTERN, "示例", "example"]
    if schema.get("format") == "email":
        candidates.insert(0, "buyer@example.com")
    for value in candidates:
        if not value or len(value) > schema.get("maxLength", 10**9):
            continue
        if pattern is None or re.search(pattern, value):
            return value
    return None


class _Examples:
    def __init__(self, components: dict[str, Any]) -> None:
        self.components = components

    def of(self, schema: dict[str, Any], name: str = "", depth: int = 0) -> Any:
        if depth > 12:
            return None
        if "$ref" in schema:
            return self.of(self.components[schema["$ref"].rsplit("/", 1)[-1]], name, depth + 1)
        if "example" in schema:
            return schema["example"]
        if "enum" in schema:
            return next((v for v in schema["enum"] if v is not None), None)
        if "const" in schema:
            return schema["const"]
        for key in ("oneOf", "anyOf"):
            if key in schema and "type" not in schema:
                choices = [c for c in schema[key] if c.get("type") != "null"] or schema[key]
                merged = {**{k: v for k, v in schema.items() if k != key}, **choices[0]}
                return self.of(merged, name, depth + 1)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        maker: Callable[[dict[str, Any], str, int], Any] | None = {
            "object": self._object,
            "array": self._array,
            "string": self._string,
            "integer": self._integer,
            "number": self._integer,
            "boolean": lambda _s, name, _d: name in ("active", "required"),
        }.get(str(kind))
        if maker is None and "properties" in schema:
            maker = self._object
        return maker(schema, name, depth) if maker else None

    def _object(self, schema: dict[str, Any], _name: str, depth: int) -> Any:
        properties: dict[str, Any] = schema.get("properties") or {}
        left_out = {
            rule["not"]["required"][-1]
            for rule in schema.get("allOf", [])
            if "not" in rule and "required" in rule["not"]
        }
        value: dict[str, Any] = {}
        for key, inner in properties.items():
            if key in left_out:
                continue
            found = self.of(inner, key, depth + 1)
            if found is None and key in (schema.get("required") or []):
                return None
            if found is not None:
                value[key] = found
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and not properties:
            keys = schema.get("propertyNames", {})
            key = EXAMPLE_ID if keys.get("format") == "uuid" else _text("key", keys) or "key"
            found = self.of(extra, key, depth + 1)
            return {key: found} if found is not None else {}
        return value

    def _array(self, schema: dict[str, Any], name: str, depth: int) -> Any:
        item = self.of(schema.get("items") or {}, name, depth + 1)
        if item is None:
            return [] if not schema.get("minItems") else None
        items = [item]
        for k in range(1, schema.get("minItems", 1)):  # distinct where they must be
            items.append(f"{item[:-2]}{k:02x}" if isinstance(item, str) else item)
        return items

    def _string(self, schema: dict[str, Any], name: str, _depth: int) -> Any:
        fmt = schema.get("format")
        fixed = {"uuid": EXAMPLE_ID, "date-time": EXAMPLE_TIME, "date": EXAMPLE_DATE}
        if fmt in fixed:
            return fixed[fmt]
        if fmt == "binary":
            return None  # a file: its content type says what
        return _text(name, schema)

    def _integer(self, schema: dict[str, Any], _name: str, _depth: int) -> Any:
        low, high = schema.get("minimum", 1), schema.get("maximum", 10**6)
        value = min(max(1, low), high)
        if value == schema.get("not", {}).get("const"):
            value += 1
        return value


def _media(operation: Operation) -> list[tuple[OpenAPIMediaType, dict[str, Any]]]:
    """Each JSON body of ``operation``: its request body and its 2xx answers."""
    found: list[tuple[OpenAPIMediaType, dict[str, Any]]] = []
    body = operation.request_body
    contents = [body.content] if body is not None and not isinstance(body, Reference) else []
    for status, answer in (operation.responses or {}).items():
        if str(status).startswith("2") and not isinstance(answer, Reference):
            contents.append(answer.content or {})
    for content in contents:
        for media_type, media in content.items():
            schema = media.schema.to_schema() if media.schema is not None else {}
            if "json" in media_type and schema:  # {}: a file in one of several formats
                found.append((media, schema))
    return found


def with_examples(document: OpenAPI) -> OpenAPI:
    """``document`` with an example on every JSON body that has none."""
    components = document.components
    schemas = {
        k: v.to_schema() for k, v in ((components.schemas or {}) if components else {}).items()
    }
    examples = _Examples(schemas)
    for item in (document.paths or {}).values():
        for method in ("get", "post", "put", "patch", "delete"):
            operation = getattr(item, method, None)
            if operation is None:
                continue
            for media, schema in _media(operation):
                if media.example is None and not media.examples:
                    media.example = examples.of(schema)
    return document


def add_examples(app: Litestar) -> None:
    """The document built now, with its examples: Litestar keeps the one it built and
    serves it from then on (it has no hook after the build)."""
    with_examples(app.plugins.get(OpenAPIPlugin).provide_openapi())
