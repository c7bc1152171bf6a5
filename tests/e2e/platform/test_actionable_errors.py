"""Errors a person can act on (#9, item 15): If-Match in every form RFC 9110 allows with
the current ETag on a 412, and the company's language when the caller asks for none. (A
missing field and a malformed id: test_bad_input.py.)"""

from __future__ import annotations

import uuid

import httpx
import pytest

from application.identity.tenant_operations import NewTenant, TenantOperations
from application.shared.versions import ANY_VERSION, VersionChoice
from bootstrap import Container
from entrypoints.cli.runtime import language
from entrypoints.http.conventions import NEVER_MATCHES, version_in
from tests.conftest import PASSWORD, TenantHandle, support_context
from tests.e2e.orders.support import RECEIVER

BRANDS = "/api/v1/catalog/brands"


def test_if_match_is_read_in_every_form_rfc_9110_allows() -> None:
    assert version_in('"v3"') == 3 and version_in(' W/"v12" ') == 12
    assert version_in("*") is ANY_VERSION
    both = version_in('"v1", W/"v2"')
    assert isinstance(both, VersionChoice) and both.versions == frozenset({1, 2})
    assert version_in('"etag-of-someone-else", "v4"') == 4
    for never in ('"x"', "v3", '"v3" "v4"', ""):
        assert version_in(never) == NEVER_MATCHES, never
    assert version_in(None) is None


async def test_if_match_forms_and_a_412_that_says_the_current_etag(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    created = await client.post(BRANDS, json={"name": "甲"}, headers=owner)
    url = created.headers["location"]

    async def rename(name: str, if_match: str) -> httpx.Response:
        return await client.patch(url, json={"name": name}, headers={**owner, "If-Match": if_match})

    assert (await rename("乙", "*")).headers["etag"] == '"v2"'
    assert (await rename("丙", '"v1", "v2"')).headers["etag"] == '"v3"'
    assert (await rename("丁", 'W/"v3"')).headers["etag"] == '"v4"'
    stale = await rename("戊", '"v1", "v2"')
    assert stale.status_code == 412 and stale.headers["etag"] == '"v4"'
    foreign = await rename("戊", '"not-ours"')
    assert foreign.status_code == 412 and foreign.headers["etag"] == '"v4"'
    missing = await client.patch(url, json={"name": "戊"}, headers=owner)
    assert missing.status_code == 428
    other = await client.patch(
        f"{BRANDS}/{uuid.uuid4()}", json={"name": "戊"}, headers={**owner, "If-Match": "*"}
    )
    assert other.status_code == 404  # "*" needs the brand to exist


async def test_without_accept_language_the_companys_language_is_spoken(
    container: Container, client: httpx.AsyncClient
) -> None:
    slug = f"t-{uuid.uuid4().hex[:12]}"
    owner = f"owner@{slug}.example.com"
    await container.get(TenantOperations).create(
        support_context(), NewTenant(slug, "English Co", owner, PASSWORD, locale="en")
    )
    login = await client.post(
        "/api/v1/auth/login", json={"tenant": slug, "email": owner, "password": PASSWORD}
    )
    bearer = {"Authorization": f"Bearer {login.json()['accessToken']}"}
    missing = await client.get(f"/api/v1/customers/{uuid.uuid4()}", headers=bearer)
    assert missing.status_code == 404
    assert missing.headers["content-language"] == "en"
    assert missing.json()["title"].startswith("The requested")
    asked = await client.get(
        f"/api/v1/customers/{uuid.uuid4()}", headers={**bearer, "Accept-Language": "zh-TW"}
    )
    assert asked.headers["content-language"] == "zh-TW"


async def test_before_the_caller_is_known_the_company_speaks_only_where_it_reveals_nothing(
    container: Container, client: httpx.AsyncClient
) -> None:
    """Decision 42: a failed login by slug answers in the service's language whether the
    company exists or not (its language would tell); a credential that names the company
    by id (refresh token, access token, API key) and a suspended company's answer, which
    says the company exists anyway, answer in the company's language."""
    slug = f"t-{uuid.uuid4().hex[:12]}"
    owner = f"owner@{slug}.example.com"
    await container.get(TenantOperations).create(
        support_context(), NewTenant(slug, "English Co", owner, PASSWORD, locale="en")
    )
    answers = []
    for tenant_slug in (slug, f"t-{uuid.uuid4().hex[:12]}"):  # known, then unknown
        failed = await client.post(
            "/api/v1/auth/login",
            json={"tenant": tenant_slug, "email": owner, "password": "wrong-password-1"},
        )
        body = failed.json()
        answers.append(
            (failed.status_code, failed.headers["content-language"], body["code"], body["title"])
        )
    assert answers[0] == answers[1]
    assert answers[0][:3] == (401, "zh-CN", "invalid_credentials")

    login = await client.post(
        "/api/v1/auth/login", json={"tenant": slug, "email": owner, "password": PASSWORD}
    )
    tokens = login.json()
    tenant_id = tokens["refreshToken"].split("_")[1]
    forged = await client.post(
        "/api/v1/auth/refresh", json={"refreshToken": f"skr_{tenant_id}_not-the-secret"}
    )
    assert (forged.status_code, forged.headers["content-language"]) == (401, "en")
    bearer = {"Authorization": f"Bearer {tokens['accessToken']}"}
    assert (await client.post("/api/v1/auth/logout", headers=bearer)).status_code == 204
    revoked = await client.get("/api/v1/auth/me", headers=bearer)
    assert (revoked.status_code, revoked.json()["code"]) == (401, "session_revoked")
    assert revoked.headers["content-language"] == "en"

    await container.get(TenantOperations).suspend(support_context("unpaid invoice"), slug)
    suspended = await client.post(
        "/api/v1/auth/login", json={"tenant": slug, "email": owner, "password": PASSWORD}
    )
    assert (suspended.status_code, suspended.json()["code"]) == (403, "tenant_suspended")
    assert suspended.headers["content-language"] == "en"
    asked = await client.post(
        "/api/v1/auth/login",
        json={"tenant": slug, "email": owner, "password": PASSWORD},
        headers={"Accept-Language": "zh-TW"},
    )
    assert asked.headers["content-language"] == "zh-TW"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "zh_TW.UTF-8"}, "zh-TW"),
        ({"LANG": "zh_HK.UTF-8"}, "zh-TW"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh-CN"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "SHOPKEEPER_LANG": "zh-TW"}, "zh-TW"),
        ({}, "zh-CN"),
    ],
)
def test_the_cli_speaks_the_language_of_the_locale(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for name in ("LANG", "LC_ALL", "LC_MESSAGES", "SHOPKEEPER_LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert language() == expected


@pytest.mark.parametrize(
    ("language", "not_found"),
    [("zh-CN", "不存在"), ("zh-TW", "不存在"), ("en", "does not exist")],
)
async def test_a_problems_detail_is_in_the_callers_language_not_the_status_lines_english(
    tenant: TenantHandle, client: httpx.AsyncClient, language: str, not_found: str
) -> None:
    """PLT-7: the problem's ``detail`` says the occurrence as its ``title`` does, in the
    language asked for — never the status line's phrase ("Not Found", "Bad Request")."""
    owner = {**(await tenant.headers("owner")), "Accept-Language": language}
    missing = await client.get(f"/api/v1/orders/{uuid.uuid4()}", headers=owner)
    malformed = await client.post(
        "/api/v1/orders",
        json={"lines": [{"skuId": "not-an-id", "quantity": 1}], "receiver": RECEIVER},
        headers={**owner, "Idempotency-Key": uuid.uuid4().hex},
    )
    unknown_sku = await client.post(
        "/api/v1/orders",
        json={"lines": [{"skuId": str(uuid.uuid4()), "quantity": 1}], "receiver": RECEIVER},
        headers={**owner, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert (missing.status_code, malformed.status_code) == (404, 400)
    assert unknown_sku.status_code in {404, 409, 422}, unknown_sku.text
    for answer in (missing, malformed, unknown_sku):
        problem = answer.json()
        assert answer.headers["content-language"] == language
        assert problem["detail"] == problem["title"], problem
    assert not_found in missing.json()["detail"]
