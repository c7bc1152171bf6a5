"""Bad input is a problem in the caller's language, never a 500, and changes nothing (#9,
items 6, 8 and 15): checked once at the edge (``entrypoints/http/inputs.py``) for every
body, query and path, before authentication for the login."""

from __future__ import annotations

import httpx

from tests.conftest import TenantHandle

LOGIN = "/api/v1/auth/login"
PRODUCTS = "/api/v1/catalog/products"
EN = {"Accept-Language": "en"}


def _errors(response: httpx.Response) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


async def _products(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    listed = await client.get(PRODUCTS, headers=headers)
    assert listed.status_code == 200, listed.text
    return [p["code"] for p in listed.json()["items"]]


async def test_a_nul_character_in_any_text_is_refused_before_anything_runs(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    for field in ("tenant", "email", "password"):
        body = {"tenant": tenant.slug, "email": tenant.owner_email, "password": "pw"}
        body[field] += "\x00"
        refused = await client.post(LOGIN, json=body, headers=EN)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["title"] == "This field contains control characters."
        assert _errors(refused) == [(field, "invalid_characters")]
    await tenant.login(tenant.owner_email)  # no failure counted against the account

    owner = {**(await tenant.headers("owner")), **EN}
    nested = {"code": "NUL-1", "name": "n", "skus": [{"code": "NUL\x00A", "listPrice": "1"}]}
    refused = await client.post(PRODUCTS, json=nested, headers=owner)
    assert refused.status_code == 422, refused.text
    assert _errors(refused) == [("skus[0].code", "invalid_characters")]
    keyed = {"code": "NUL-2", "name": "n", "attributes": {"col\x00our": "red"}}
    assert (await client.post(PRODUCTS, json=keyed, headers=owner)).status_code == 422
    searched = await client.get(PRODUCTS, params={"q": "a\x00"}, headers=owner)
    assert searched.status_code == 422 and _errors(searched) == [("q", "invalid_characters")]
    assert await _products(client, owner) == []


async def test_invalid_utf8_and_deep_nesting_are_400_in_the_callers_language(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    json_type = {"Content-Type": "application/json"}
    for headers in ({**json_type, "Accept-Language": "zh-TW"}, {**json_type, **EN}):
        broken = await client.post(
            LOGIN, content=b'{"tenant": "\xff", "email": "a", "password": "b"}', headers=headers
        )
        assert broken.status_code == 400, broken.text
        assert broken.json()["code"] == "invalid_request"
        assert _errors(broken) == [("body", "invalid_encoding")]
    assert broken.json()["errors"][0]["message"] == "The request body is not valid UTF-8 text."

    owner = {**(await tenant.headers("owner")), **json_type, **EN}
    deep = b"[" * 100_000 + b"]" * 100_000
    for url, headers in ((LOGIN, {**json_type, **EN}), (PRODUCTS, owner)):
        refused = await client.post(url, content=deep, headers=headers)
        assert refused.status_code == 400, refused.text
        assert _errors(refused) == [("body", "too_deeply_nested")]
    attributes = b'{"a":' * 5000 + b"1" + b"}" * 5000
    body = b'{"code": "DEEP-1", "name": "n", "attributes": ' + attributes + b"}"
    refused = await client.post(PRODUCTS, content=body, headers=owner)
    assert refused.status_code == 400 and _errors(refused) == [("body", "too_deeply_nested")]
    assert refused.json()["errors"][0]["message"] == (
        "The request body is nested too deeply (at most 32 levels)."
    )
    assert await _products(client, owner) == []


async def test_dates_outside_the_accepted_years_are_refused_on_the_way_in(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = {**(await tenant.headers("owner")), **EN}
    body = {"code": "DATE-1", "name": "n", "skus": [{"code": "DATE-1-A", "listPrice": "100"}]}
    sku_id = (await client.post(PRODUCTS, json=body, headers=owner)).json()["skus"][0]["id"]
    sku = f"/api/v1/catalog/skus/{sku_id}"
    for starts_at in ("9999-12-31T23:59:59", "0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00"):
        promotion = {"amount": "80", "startsAt": starts_at}
        refused = await client.post(f"{sku}/promotions", json=promotion, headers=owner)
        assert refused.status_code == 422, refused.text
        assert _errors(refused) == [("startsAt", "date_out_of_range")]
        assert refused.json()["title"] == "The date must fall between the years 1900 and 2999."
    listed = await client.get(f"{sku}/promotions", headers=owner)
    assert listed.status_code == 200 and listed.json()["items"] == []
    for at in ("9999-12-31T23:59:59", "0001-01-01T00:00:00"):
        priced = await client.get(f"{sku}/price", params={"at": at}, headers=owner)
        assert priced.status_code == 422 and _errors(priced) == [("at", "date_out_of_range")]
    audit = await client.get("/api/v1/audit", params={"since": "9999-01-01T00:00:00Z"},
                             headers=owner)  # fmt: skip
    assert audit.status_code == 422 and _errors(audit) == [("since", "date_out_of_range")]
    ok = await client.post(
        f"{sku}/promotions", json={"amount": "80", "startsAt": "2999-12-31T00:00:00"}, headers=owner
    )
    assert ok.status_code == 201, ok.text


async def test_bodies_are_decoded_strictly_as_the_document_says(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = {**(await tenant.headers("owner")), **EN}
    for flag in (0, 1, "true", "false"):
        body = {"code": "STRICT-1", "name": "n", "preorderAllowed": flag}
        refused = await client.post(PRODUCTS, json=body, headers=owner)
        assert refused.status_code == 400, (flag, refused.text)
        assert _errors(refused) == [("preorderAllowed", "invalid_value")]
        assert "Expected `bool`" in refused.json()["errors"][0]["detail"]
    body = {"code": "STRICT-2", "name": "n", "skus": [{"code": "STRICT-2-A", "listPrice": "9"}]}
    sku_id = (await client.post(PRODUCTS, json=body, headers=owner)).json()["skus"][0]["id"]
    unix = await client.post(
        f"/api/v1/catalog/skus/{sku_id}/promotions",
        json={"amount": "1", "startsAt": 1_790_000_000},
        headers=owner,
    )
    assert unix.status_code == 400 and _errors(unix) == [("startsAt", "invalid_value")]
    priced = await client.get(
        f"/api/v1/catalog/skus/{sku_id}/price", params={"at": "1790000000"}, headers=owner
    )
    assert priced.status_code == 400 and _errors(priced) == [("at", "invalid_value")]
    for unread in ("0", "1", "yes"):
        inbox = await client.get("/api/v1/inbox", params={"unread": unread}, headers=owner)
        assert inbox.status_code == 400 and _errors(inbox) == [("unread", "invalid_value")]
    assert (await client.get("/api/v1/inbox", params={"unread": "true"}, headers=owner)).is_success


async def test_integer_parameters_are_range_checked_at_the_edge(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = {**(await tenant.headers("owner")), **EN}
    created = await client.post(PRODUCTS, json={"code": "INT-1", "name": "n"}, headers=owner)
    product = f"{PRODUCTS}/{created.json()['id']}"
    too_big = 2**31
    diff = await client.get(f"{product}/versions/1/diff/{too_big}", headers=owner)
    assert diff.status_code == 422, diff.text
    assert _errors(diff) == [("newer", "number_out_of_range")]
    assert diff.json()["title"] == "The number must be between -2147483648 and 2147483647."
    restore = await client.post(
        f"{product}/versions/{too_big}/restore", headers={**owner, "If-Match": '"v1"'}
    )
    assert restore.status_code == 422 and _errors(restore) == [("number", "number_out_of_range")]
    limit = await client.get(PRODUCTS, params={"limit": str(2**63)}, headers=owner)
    assert limit.status_code == 422 and _errors(limit) == [("limit", "number_out_of_range")]
    for amount in ("NaN", "Infinity", "-Infinity", "abc"):
        bound = await client.get(f"{PRODUCTS}/search", params={"minPrice": amount}, headers=owner)
        assert bound.status_code == 422, (amount, bound.text)
        assert _errors(bound) == [("minPrice", "invalid_amount")]
    fine = await client.get(f"{product}/versions/1/diff/{2**31 - 1}", headers=owner)
    assert fine.status_code == 404, fine.text  # in range: looked up, and not there


async def test_a_missing_field_and_a_malformed_id_are_named(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    for language, text in (("en", "This field is required."), ("zh-CN", "此字段为必填项。")):
        missing = await client.post(
            "/api/v1/catalog/brands", json={}, headers={**owner, "Accept-Language": language}
        )
        assert missing.status_code == 400, missing.text
        assert missing.json()["errors"] == [{"field": "name", "code": "required", "message": text}]
    nested = await client.post(
        PRODUCTS, json={"code": "MISS-1", "name": "n", "skus": [{"listPrice": "1"}]}, headers=owner
    )
    assert nested.status_code == 400 and _errors(nested) == [("skus[0].code", "required")]
    unknown = await client.post(
        "/api/v1/catalog/brands", json={"name": "b", "nmae": "c"}, headers=owner
    )
    assert unknown.status_code == 400 and _errors(unknown) == [("nmae", "unknown_field")]

    for path, parameter in (
        (f"{PRODUCTS}/not-a-uuid", "product_id"),
        (f"{PRODUCTS}/not-a-uuid/versions", "product_id"),
        ("/api/v1/catalog/skus/123/price", "sku_id"),
    ):
        malformed = await client.get(path, headers={**owner, **EN})
        assert malformed.status_code == 422, (path, malformed.text)
        assert _errors(malformed) == [(parameter, "invalid_id")]
        assert malformed.json()["title"] == "This is not a valid id."
    words = await client.get(f"{PRODUCTS}/{'0' * 8}-0000-0000-0000-{'0' * 12}/versions/x/diff/2",
                             headers=owner)  # fmt: skip
    assert words.status_code == 422 and _errors(words) == [("older", "invalid_value")]
    nowhere = await client.get("/api/v1/catalog/no-such-thing/123", headers=owner)
    assert nowhere.status_code == 404 and nowhere.json()["code"] == "route_not_found"


async def test_a_nul_in_an_upload_form_is_refused_too(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = {**(await tenant.headers("owner")), **EN}
    boundary = "edge-boundary"
    csv = b"product_code,product_name,sku_code,list_price\r\nA,a,A-1,1\r\n"

    def form(filename: bytes, flag: bytes = b"false") -> bytes:
        return (
            b"--edge-boundary\r\n"
            b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
            b"Content-Type: text/csv\r\n\r\n" + csv + b"\r\n"
            b"--edge-boundary\r\n"
            b'Content-Disposition: form-data; name="createMissing"\r\n\r\n' + flag + b"\r\n"
            b"--edge-boundary--\r\n"
        )

    headers = {**owner, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    for body, field in (
        (form(b"a\x00b.csv"), "file"),
        (form(b"a.csv", b"fa\x00lse"), "createMissing"),
    ):
        refused = await client.post("/api/v1/catalog/imports", content=body, headers=headers)
        assert refused.status_code == 422, refused.text
        assert _errors(refused) == [(field, "invalid_characters")]
    fine = await client.post("/api/v1/catalog/imports", content=form(b"a.csv"), headers=headers)
    assert fine.status_code == 202, fine.text


async def test_a_form_field_that_is_not_utf8_text_is_a_400_not_a_500(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """Found by schemathesis (#9 item 18): binary sent as a plain field (no filename)."""
    owner = {**(await tenant.headers("owner")), **EN}
    body = (
        b"--edge-boundary\r\n"
        b'Content-Disposition: form-data; name="file"\r\n\r\n\x89PNG\r\n\x1a\n\xff\xfe\r\n'
        b"--edge-boundary--\r\n"
    )
    headers = {**owner, "Content-Type": "multipart/form-data; boundary=edge-boundary"}
    refused = await client.post("/api/v1/catalog/imports", content=body, headers=headers)
    assert refused.status_code == 400, refused.text
    assert _errors(refused) == [("body", "invalid_encoding")]


async def test_a_body_integer_beyond_32_bits_is_a_422_not_a_500(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """Found by schemathesis (#9 item 18): a quantity or a priority of 10**23 reached the
    database and failed there; every body integer is refused outside 32 bits, as a path
    or query integer is, and the document states the bounds."""
    owner = {**(await tenant.headers("owner")), **EN}
    for body in (
        {"code": "HUGE", "name": "Huge", "kind": "own", "priority": 10**23},
        {"code": "HUGE", "name": "Huge", "kind": "own", "priority": -(2**31) - 1},
    ):
        refused = await client.post("/api/v1/inventory/warehouses", json=body, headers=owner)
        assert refused.status_code == 422, refused.text
        assert _errors(refused) == [("priority", "number_out_of_range")]
    listed = await client.get("/api/v1/inventory/warehouses", headers=owner)
    assert listed.json()["items"] == []  # nothing was created


async def test_a_whole_number_written_with_a_point_is_that_integer(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """JSON Schema's integers include 5.0 (schemathesis sends them, #9 item 18): such a
    number is read as 5; 5.5 stays a 400 naming the field."""
    owner = {**(await tenant.headers("owner")), **EN}
    body = {"code": "WH-1", "name": "One", "kind": "own", "priority": 5.0}
    made = await client.post("/api/v1/inventory/warehouses", json=body, headers=owner)
    assert made.status_code == 201, made.text
    assert made.json()["priority"] == 5
    body = {"code": "WH-2", "name": "Two", "kind": "own", "priority": 5.5}
    refused = await client.post("/api/v1/inventory/warehouses", json=body, headers=owner)
    assert refused.status_code == 400 and _errors(refused) == [("priority", "invalid_value")]


async def test_a_missing_required_query_parameter_is_named(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """#9 item 15: a missing required parameter names the parameter, in the caller's
    language (found trying ``GET /inventory/costs`` as a new user)."""
    owner = await tenant.headers("owner")
    for language, text in (("en", "This field is required."), ("zh-CN", "此字段为必填项。")):
        missing = await client.get(
            "/api/v1/inventory/costs",
            params={"skuId": "01900000-0000-7000-8000-000000000000"},
            headers={**owner, "Accept-Language": language},
        )
        assert missing.status_code == 400, missing.text
        assert missing.json()["errors"] == [
            {"field": "warehouseId", "code": "required", "message": text}
        ]


async def test_a_bad_query_value_is_named_as_the_caller_sent_it(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """A parameter whose declared name is not the handler's argument (``order`` for
    ``ordering``, ``q`` for ``text``) is named as the document and the caller name it
    (found trying ``GET /orders/queue?order=…`` as a new user; ORD-8)."""
    owner = await tenant.headers("owner")
    refused = await client.get("/api/v1/orders/queue", params={"order": "cheapest"}, headers=owner)
    assert refused.status_code == 400 and _errors(refused) == [("order", "invalid_value")]
