"""#9 item 18: the OpenAPI document says what the service does — the problem+json answers
each operation can give, who needs credentials and who does not, If-Match required where
its absence is a 428, request bodies that refuse unknown fields, the real success status —
and the service keeps to it (one identity per request)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from domain.fulfilment.shipment import ShipmentStep
from entrypoints.http.auth import PUBLIC_PATHS
from entrypoints.http.wire import WireIn
from tests.conftest import TenantHandle
from tests.support.built_app import openapi_document

METHODS = ("get", "post", "put", "patch", "delete")
PROBLEM = "application/problem+json"


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    paths: dict[str, Any] = openapi_document()["paths"]  # type: ignore[assignment]
    return [
        (path, method, item[method])
        for path, item in paths.items()
        for method in METHODS
        if method in item
    ]


def _public(path: str) -> bool:
    return any(re.match(pattern, path) for pattern in PUBLIC_PATHS)


def test_the_document_has_no_blanket_security_requirement() -> None:
    assert "security" not in openapi_document()


def test_every_operation_documents_the_problems_it_can_answer() -> None:
    for path, method, operation in _operations():
        responses = operation["responses"]
        where = f"{method.upper()} {path}"
        if not _public(path):
            assert operation["security"] == [{"BearerToken": []}, {"ApiKey": []}], where
            assert {"401", "403"} <= set(responses), where
        else:
            assert "security" not in operation, where
        if "{" in path:
            assert "404" in responses, where
        if method != "get":
            assert "409" in responses, where
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                content = response["content"]
                assert list(content) == [PROBLEM], (where, status)
                schema = content[PROBLEM]["schema"]
                assert schema == {"$ref": "#/components/schemas/ProblemOut"}, (where, status)


def test_if_match_is_required_where_its_absence_is_a_428() -> None:
    checked = 0
    for path, method, operation in _operations():
        headers = [p for p in operation.get("parameters", []) if p["name"] == "If-Match"]
        if headers:
            checked += 1
            assert headers[0]["required"] is True, f"{method} {path}"
            assert {"412", "428"} <= set(operation["responses"]), f"{method} {path}"
    assert checked >= 20


def test_request_bodies_refuse_unknown_fields_in_the_document() -> None:
    schemas: dict[str, Any] = openapi_document()["components"]["schemas"]  # type: ignore[index]
    inputs = {cls.__name__ for cls in _subclasses(WireIn)}
    documented = inputs & set(schemas)
    assert len(documented) >= 20
    for name in documented:
        assert schemas[name]["additionalProperties"] is False, name
    assert schemas["ProblemOut"]["required"] == ["code", "requestId", "status", "title", "type"]


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/catalog/imports", "202"),
        ("/api/v1/catalog/exports", "202"),
        ("/api/v1/webhooks/deliveries/{delivery_id}/replay", "202"),
        ("/api/v1/users", "201"),
        ("/api/v1/roles", "201"),
        ("/api/v1/api-keys", "201"),
        ("/api/v1/webhooks/endpoints", "201"),
    ],
)
def test_posts_document_their_real_status_and_body(path: str, status: str) -> None:
    paths: dict[str, Any] = openapi_document()["paths"]  # type: ignore[assignment]
    responses = paths[path]["post"]["responses"]
    success = [s for s in responses if s.startswith("2")]
    assert success == [status]
    schema = responses[status]["content"]["application/json"]["schema"]
    assert "$ref" in schema, schema  # a described object, not a string


async def test_a_token_beside_an_api_key_is_refused(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """One request, one identity: an invalid bearer token does not pass because an API key
    came with it."""
    created = await client.post(
        "/api/v1/api-keys",
        json={"name": "sync", "permissions": ["catalog:read"]},
        headers=await tenant.headers("owner"),
    )
    key = created.json()["key"]
    alone = await client.get("/api/v1/catalog/brands", headers={"X-API-Key": key})
    assert alone.status_code == 200
    for language, word in (("en", "not both"), ("zh-CN", "不要同时"), ("zh-TW", "不要同時")):
        both = await client.get(
            "/api/v1/catalog/brands",
            headers={"X-API-Key": key, "Authorization": "", "Accept-Language": language},
        )
        assert both.status_code == 401
        assert both.json()["code"] == "credentials_ambiguous"
        assert word in both.json()["title"]


def _schema(name: str) -> dict[str, Any]:
    components: dict[str, Any] = openapi_document()["components"]  # type: ignore[assignment]
    return components["schemas"][name]["properties"]  # type: ignore[no-any-return]


def test_the_limits_the_domain_enforces_are_stated_from_its_own_constants() -> None:
    from domain.catalog.channel import CHANNEL_CODE, MAX_CHANNEL_NAME_LENGTH, ChannelKind
    from domain.catalog.codes import CODE, MAX_CODE_LENGTH
    from domain.catalog.product import Lifecycle
    from domain.catalog.product_type import ATTRIBUTE_CODE
    from domain.identity.role import ROLE_KEY
    from domain.identity.user import MIN_PASSWORD_LENGTH
    from entrypoints.http.conventions import IDEMPOTENCY_KEY

    channel = _schema("ChannelIn")
    assert channel["code"]["pattern"] == CHANNEL_CODE.pattern
    assert channel["name"]["maxLength"] == MAX_CHANNEL_NAME_LENGTH
    assert channel["name"]["minLength"] == 1
    assert channel["kind"]["enum"] == [k.value for k in ChannelKind]
    product = _schema("ProductIn")
    assert product["lifecycle"]["enum"] == [*(v.value for v in Lifecycle), None]
    sku = _schema("SkuIn")["code"]
    assert (sku["pattern"], sku["maxLength"]) == (CODE.pattern, MAX_CODE_LENGTH)
    assert _schema("AttributeIn")["code"]["pattern"] == ATTRIBUTE_CODE.pattern
    assert _schema("RoleIn")["key"]["pattern"] == ROLE_KEY.pattern
    user = _schema("UserIn")
    assert user["email"]["format"] == "email"
    assert user["password"]["minLength"] == MIN_PASSWORD_LENGTH
    paths: dict[str, Any] = openapi_document()["paths"]  # type: ignore[assignment]
    keys = [
        p["schema"]
        for item in paths.values()
        for p in item.get("post", {}).get("parameters", [])
        if p["name"] == "Idempotency-Key"
    ]
    assert keys and all(k.get("pattern") == IDEMPOTENCY_KEY.pattern for k in keys)
    for body in ("ReceiptIn", "IssueIn", "StateChangeIn", "ReturnReceiptIn", "ReservationLineIn"):
        assert _schema(body)["quantity"]["minimum"] == 1, body
    for path, choices in (
        ("/api/v1/catalog/products/search", [v.value for v in Lifecycle]),
        ("/api/v1/webhooks/deliveries", ["pending", "succeeded", "dead"]),
    ):
        (status,) = [p for p in paths[path]["get"]["parameters"] if p["name"] == "status"]
        assert status["schema"]["enum"] == choices, path


async def test_a_stated_limit_still_refuses_with_the_domains_own_code(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """The schema documents the limit; the domain still checks it (its code, translated)."""
    owner = {**(await tenant.headers("owner")), "Accept-Language": "en"}
    good = {"code": "web_shop", "name": "Web", "kind": "own_shop"}
    for field, value, code in (
        ("code", "Bad Code", "invalid_channel_code"),
        ("name", "x" * 51, "too_long"),
        ("kind", "nope", "invalid_choice"),
    ):
        body = {**good, field: value}
        refused = await client.post("/api/v1/catalog/channels", json=body, headers=owner)
        assert refused.status_code == 422, refused.text
        assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [(field, code)]


def test_every_operation_has_a_summary_and_a_description() -> None:
    """The summary is the handler's name in words, the description its docstring: a new
    handler without a docstring fails here."""
    for path, method, operation in _operations():
        if path.startswith("/schema"):
            continue  # the framework's own pages
        where = f"{method.upper()} {path}"
        summary = operation.get("summary", "")
        assert summary.replace(" ", "").isalpha(), where
        assert summary[:1].isupper() and not re.search(r"[a-z][A-Z]", summary), where
        assert operation.get("description", "").strip(), where
        assert "``" not in operation["description"], where


def test_file_answers_and_their_extra_statuses_are_documented() -> None:
    """Found by schemathesis: an image, a video or metrics text documented as JSON; a 409
    while an export runs and a 401 for an expired refresh token not documented."""
    paths: dict[str, Any] = openapi_document()["paths"]  # type: ignore[assignment]

    def answers(path: str, method: str = "get") -> dict[str, Any]:
        return paths[path][method]["responses"]  # type: ignore[no-any-return]

    media = answers("/api/v1/catalog/media/{media_id}/content")["200"]["content"]
    assert set(media) == {"image/*", "video/*"}
    assert set(answers("/api/v1/catalog/brands/{brand_id}/logo")["200"]["content"]) == {"image/*"}
    assert set(answers("/metrics")["200"]["content"]) == {"text/plain"}
    assert "409" in answers("/api/v1/catalog/exports/{export_id}/file")
    for path in ("/api/v1/auth/login", "/api/v1/auth/refresh"):
        assert "401" in answers(path, "post")
    assert "404" in answers("/api/v1/inventory/state-changes", "post")  # a missing warehouse


def test_a_shipment_documents_its_next_steps() -> None:
    """LOG-1/PLT-8: a parcel's answer names the steps it allows next (``nextSteps``, always
    there), each one of the documented steps: an addition the OpenAPI diff reports alone."""
    schemas: dict[str, Any] = openapi_document()["components"]["schemas"]  # type: ignore[assignment]
    shipment = schemas["ShipmentOut"]
    assert "nextSteps" in shipment["required"]
    steps = shipment["properties"]["nextSteps"]
    assert steps == {"type": "array", "items": {"$ref": "#/components/schemas/ShipmentStep"}}
    assert schemas["ShipmentStep"]["enum"] == [step.value for step in ShipmentStep]
