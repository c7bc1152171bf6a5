"""/api/v1/customers over HTTP (CRM-1): the CRUD flow with ETag / If-Match, erasure,
problem+json in the caller's language, and tenant isolation."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import TenantFactory, TenantHandle

BASE = "/api/v1/customers"
CUSTOMER = {
    "name": "欧阳娜娜",
    "phone": "139 1234 5678",
    "email": "NaNa.OuYang@Example.com",
    "addresses": [
        {
            "recipient": "欧阳娜娜",
            "phone": "13912345678",
            "province": "浙江省",
            "city": "杭州市",
            "district": "西湖区",
            "line": "文三路 90 号 2 幢 301",
            "postalCode": "310012",
        }
    ],
    "tags": ["vip", "直播"],
    "sourceChannel": "tmall",
}


async def create(client: httpx.AsyncClient, headers: dict[str, str], **overrides: object) -> dict:
    response = await client.post(BASE, json={**CUSTOMER, **overrides}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_crud_flow_with_etags(tenant: TenantHandle, client: httpx.AsyncClient) -> None:
    owner = await tenant.headers("owner")
    created = await client.post(BASE, json=CUSTOMER, headers=owner)
    assert created.status_code == 201, created.text
    body = created.json()
    url = f"{BASE}/{body['id']}"
    assert created.headers["etag"] == '"v1"'
    assert created.headers["location"] == url
    # The create answer is masked whoever asks (it may be kept for idempotent replays).
    assert body["piiMasked"] is True
    assert (body["name"], body["phone"], body["email"]) == (
        "欧*",
        "139****5678",
        "n***@example.com",
    )

    fetched = await client.get(url, headers=owner)
    assert fetched.status_code == 200 and fetched.headers["etag"] == '"v1"'
    full = fetched.json()
    assert full["piiMasked"] is False
    assert (full["name"], full["phone"], full["email"]) == (
        "欧阳娜娜",
        "+8613912345678",
        "nana.ouyang@example.com",
    )
    assert full["addresses"] == [
        {
            "recipient": "欧阳娜娜",
            "phone": "+8613912345678",
            "province": "浙江省",
            "city": "杭州市",
            "district": "西湖区",
            "line": "文三路 90 号 2 幢 301",
            "postalCode": "310012",
        }
    ]
    assert (full["tags"], full["sourceChannel"], full["version"]) == (["vip", "直播"], "tmall", 1)

    change = {"email": None, "tags": ["vip"]}
    missing = await client.patch(url, json=change, headers=owner)
    assert missing.status_code == 428 and missing.json()["code"] == "precondition_required"
    stale = await client.patch(url, json=change, headers={**owner, "If-Match": '"v7"'})
    assert stale.status_code == 412 and stale.json()["code"] == "stale_version"
    # A tag naming no version of ours never matches ("*" would: RFC 9110, #9 item 15).
    garbage = await client.patch(url, json=change, headers={**owner, "If-Match": '"garbage"'})
    assert garbage.status_code == 412
    updated = await client.patch(url, json=change, headers={**owner, "If-Match": 'W/"v1"'})
    assert updated.status_code == 200, updated.text
    assert updated.headers["etag"] == '"v2"'
    assert updated.json()["email"] is None and updated.json()["tags"] == ["vip"]
    assert updated.json()["phone"] == "+8613912345678"  # fields not sent are kept

    listed = (await client.get(BASE, headers=owner)).json()
    assert [c["id"] for c in listed["items"]] == [body["id"]] and listed["nextCursor"] is None

    assert (await client.delete(url, headers=owner)).status_code == 428
    assert (await client.delete(url, headers={**owner, "If-Match": '"v1"'})).status_code == 412
    erased = await client.delete(url, headers={**owner, "If-Match": '"v2"'})
    assert erased.status_code == 204 and erased.content == b""

    for response in (
        await client.get(url, headers=owner),
        await client.patch(url, json=change, headers={**owner, "If-Match": '"v3"'}),
        await client.delete(url, headers={**owner, "If-Match": '"v3"'}),
    ):
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "not_found"
    assert (await client.get(BASE, headers=owner)).json()["items"] == []
    for query in ({"q": "欧阳"}, {"phone": "13912345678"}, {"email": "nana.ouyang@example.com"}):
        found = await client.get(f"{BASE}/search", params=query, headers=owner)
        assert found.status_code == 200 and found.json()["items"] == [], query


async def test_erasure_is_audited_without_personal_values(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    body = await create(client, owner)
    await client.delete(f"{BASE}/{body['id']}", headers={**owner, "If-Match": '"v1"'})
    audit = await client.get("/api/v1/audit", params={"entityId": body["id"]}, headers=owner)
    assert audit.status_code == 200, audit.text
    records = audit.json()["items"]
    assert [r["action"] for r in records] == ["customer.erase", "customer.create"]
    changes = {c["field"]: c for c in records[0]["changes"]}
    assert changes["name"] == {"field": "name", "before": "[redacted]", "after": None}
    assert changes["tags"] == {"field": "tags", "before": ["vip", "直播"], "after": []}
    assert "欧阳" not in audit.text and "13912345678" not in audit.text


async def test_pages_follow_the_cursor(tenant: TenantHandle, client: httpx.AsyncClient) -> None:
    owner = await tenant.headers("owner")
    ids = [(await create(client, owner, name=f"客户{i}"))["id"] for i in range(5)]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(BASE, params=params, headers=owner)).json()
        seen += [c["id"] for c in page["items"]]
        if not (cursor := page["nextCursor"]):
            break
    assert seen == ids[::-1]
    bad = await client.get(BASE, params={"cursor": "not-a-cursor"}, headers=owner)
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_cursor"
    assert (await client.get(BASE, params={"limit": 0}, headers=owner)).status_code == 422


async def test_search_endpoints(tenant: TenantHandle, client: httpx.AsyncClient) -> None:
    owner = await tenant.headers("owner")
    sanfeng = (
        await create(
            client, owner, name="张三丰", phone="13800000001", email="sf@example.com", addresses=[]
        )
    )["id"]
    san = (await create(client, owner, name="张三", phone="13800000002", email=None))["id"]

    async def found(**params: str) -> list[str]:
        response = await client.get(f"{BASE}/search", params=params, headers=owner)
        assert response.status_code == 200, response.text
        return [c["id"] for c in response.json()["items"]]

    assert await found(q="张三") == [san, sanfeng]
    assert await found(q="三丰") == [sanfeng]
    assert await found(phone="+86 138 0000 0002") == [san]
    assert await found(email="SF@example.com") == [sanfeng]
    for params, code in (
        ({}, "search_needs_one_criterion"),
        ({"q": "张", "phone": "13800000001"}, "search_needs_one_criterion"),
        ({"q": "!!"}, "search_query_too_short"),
        ({"phone": "12"}, "invalid_phone"),
        ({"email": "nope"}, "invalid_email"),
    ):
        response = await client.get(f"{BASE}/search", params=params, headers=owner)
        assert response.status_code == 422 and response.json()["code"] == code, params


@pytest.mark.parametrize(
    ("language", "required", "invalid"),
    [
        ("en", "This field is required.", "Some fields are invalid."),
        ("zh-CN", "此字段为必填项。", "部分字段无效。"),
        ("zh-TW", "此欄位為必填。", "部分欄位無效。"),
    ],
)
async def test_validation_problems_speak_the_callers_language(
    language: str, required: str, invalid: str, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    headers = {**(await tenant.headers("owner")), "Accept-Language": f"{language},en;q=0.1"}
    one = await client.post(BASE, json={"name": " "}, headers=headers)
    assert one.status_code == 422
    assert one.headers["content-type"].startswith("application/problem+json")
    assert one.headers["content-language"] == language
    problem = one.json()
    assert problem["title"] == required
    assert problem["type"] == "urn:shopkeeper:problem:required"
    assert problem["errors"] == [{"field": "name", "code": "required", "message": required}]

    many = await client.post(
        BASE, json={"name": "", "phone": "12", "tags": ["x" * 33]}, headers=headers
    )
    assert many.status_code == 422
    assert many.json()["title"] == invalid
    fields = {e["field"]: e["code"] for e in many.json()["errors"]}
    assert fields == {"name": "required", "phone": "invalid_phone", "tags[0]": "too_long"}
    messages = {e["code"]: e["message"] for e in many.json()["errors"]}
    assert (
        messages["invalid_phone"]
        == {
            "en": "The phone number is invalid.",
            "zh-CN": "电话号码无效。",
            "zh-TW": "電話號碼無效。",
        }[language]
    )
    assert "12" not in str(many.json()["errors"])  # the rejected value is not echoed


async def test_another_tenant_gets_404_and_never_sees_the_customers(
    new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    a, b = await new_tenant(), await new_tenant()
    owner_a, owner_b = await a.headers("owner"), await b.headers("owner")
    body = await create(client, owner_a)
    url = f"{BASE}/{body['id']}"
    for extra in ({}, {"If-Match": '"v1"'}, {"If-Match": '"v999"'}):
        headers = {**owner_b, **extra}
        for response in (
            await client.get(url, headers=headers),
            await client.patch(url, json={"tags": ["stolen"]}, headers=headers),
            await client.delete(url, headers=headers),
        ):
            assert response.status_code == 404, (response.request.method, extra, response.text)
    listed = await client.get(BASE, headers=owner_b)
    assert listed.status_code == 200 and listed.json()["items"] == []
    for query in (
        {"q": "欧阳娜娜"},
        {"q": "娜"},
        {"phone": CUSTOMER["phone"]},
        {"email": CUSTOMER["email"]},
    ):
        found = await client.get(f"{BASE}/search", params=query, headers=owner_b)
        assert found.status_code == 200 and found.json()["items"] == [], query
    # A's customer is untouched by B's attempts.
    mine = await client.get(url, headers=owner_a)
    assert mine.status_code == 200 and mine.json()["version"] == 1
    assert mine.json()["tags"] == ["vip", "直播"]


async def test_ord7_a_customer_keeps_the_language_their_emails_are_written_in(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    made = await create(client, owner, language="zh-TW")
    assert made["language"] == "zh-TW"
    url = f"{BASE}/{made['id']}"
    changed = await client.patch(
        url, json={"language": "en"}, headers={**owner, "If-Match": '"v1"'}
    )
    assert changed.status_code == 200, changed.text
    assert (await client.get(url, headers=owner)).json()["language"] == "en"
    refused = await client.patch(
        url, json={"language": "fr"}, headers={**owner, "If-Match": '"v2"'}
    )
    assert refused.status_code == 422
    assert (await create(client, owner))["language"] is None  # none: written to in zh-CN
