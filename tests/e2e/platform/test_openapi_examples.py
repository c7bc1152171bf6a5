"""#9 item 18: every operation has an example — each JSON request body and each JSON
answer of the OpenAPI document — and every example keeps the rules its schema states (the
fuzzer's example phase sends the request examples as valid requests)."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from tests.support.built_app import openapi_document

METHODS = ("get", "post", "put", "patch", "delete")


def _bodies() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    document: dict[str, Any] = openapi_document()  # type: ignore[assignment]
    found = []
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            where = f"{method.upper()} {path}"
            contents = []
            if "requestBody" in operation:
                contents.append(("request", operation["requestBody"]["content"]))
            for status, answer in operation["responses"].items():
                if status.startswith("2"):
                    contents.append((status, answer.get("content") or {}))
            for what, content in contents:
                for media_type, media in content.items():
                    if "json" in media_type and media.get("schema"):
                        found.append((f"{where} {what}", media, document["components"]))
    return found


def test_every_json_body_has_an_example_that_its_schema_accepts() -> None:
    bodies = _bodies()
    assert len(bodies) > 150
    for where, media, components in bodies:
        assert media.get("example") is not None, f"{where}: no example"
        validator = jsonschema_rs.validator_for({**media["schema"], "components": components})
        errors = [str(e) for e in validator.iter_errors(media["example"])]
        assert not errors, f"{where}: {errors[:3]}"


def test_examples_read_like_the_things_they_stand_for() -> None:
    bodies = {where: media["example"] for where, media, _ in _bodies()}
    product = bodies["POST /api/v1/catalog/products request"]
    assert product["name"] == "纯棉圆领T恤" and product["skus"][0]["listPrice"] == "99.50"
    assert product["categoryId"] == "01a24cee-6a09-740d-b588-294d19422aca"
    assert "category" not in product  # one of categoryId / category, as the schema says
    login = bodies["POST /api/v1/auth/login request"]
    assert login == {"tenant": "demo", "email": "buyer@example.com", "password": login["password"]}
