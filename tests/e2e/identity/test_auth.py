"""Authentication over HTTP (PLT-2): tokens, sessions, throttling, suspension, API keys."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace

import httpx
import jwt
import pytest
from litestar import Litestar

from application.identity.tenant_operations import TenantOperations
from bootstrap import Container, build_container
from bootstrap.settings import Settings
from entrypoints.http.app import create_app
from tests.conftest import PASSWORD, TenantHandle, support_context
from tests.reliability.figures import figure


def _claims(tenant: TenantHandle, **overrides: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": "shopkeeper",
        "aud": "shopkeeper-api",
        "sub": str(uuid.uuid4()),
        "tid": str(tenant.id),
        "sid": str(uuid.uuid4()),
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }
    claims.update(overrides)
    return claims


async def _real_claims(tenant: TenantHandle) -> dict[str, object]:
    token = (await tenant.headers("owner"))["Authorization"].split()[1]
    return jwt.decode(token, options={"verify_signature": False})


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("expired", "token_expired"),
        ("wrong_key", "invalid_token"),
        ("alg_none", "invalid_token"),
        ("wrong_audience", "invalid_token"),
        ("garbage", "invalid_token"),
    ],
)
async def test_bad_access_tokens_get_401(
    tenant: TenantHandle, client: httpx.AsyncClient, container: Container, case: str, code: str
) -> None:
    key = container.settings.token_signing_key
    claims = await _real_claims(tenant)  # a real user and session: only the flaw differs
    if case == "expired":
        token = jwt.encode({**claims, "exp": int(time.time()) - 5}, key, algorithm="HS256")
    elif case == "wrong_key":
        token = jwt.encode(claims, "another-key-" + "y" * 40, algorithm="HS256")
    elif case == "alg_none":
        token = jwt.encode(claims, None, algorithm="none")  # type: ignore[arg-type]
    elif case == "wrong_audience":
        token = jwt.encode({**claims, "aud": "other-api"}, key, algorithm="HS256")
    else:
        token = "not.a.jwt"
    response = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    figure("R12", "bad tokens tried", 1)
    figure("R12", "bad tokens accepted", int(response.status_code < 400), 0)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


async def test_valid_token_shape_is_accepted(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """Control for the test above: the same claims, correctly signed, pass."""
    response = await client.get("/api/v1/auth/me", headers=await tenant.headers("owner"))
    assert response.status_code == 200


async def test_no_credentials_get_401_in_the_callers_language(client: httpx.AsyncClient) -> None:
    titles = {}
    for language in ("en", "zh-TW", "zh-CN"):
        response = await client.get("/api/v1/auth/me", headers={"Accept-Language": language})
        assert response.status_code == 401
        titles[language] = response.json()["title"]
        assert response.headers["content-language"] == language
    assert titles["en"].startswith("Sign in")
    assert "登入" in titles["zh-TW"]
    assert "登录" in titles["zh-CN"]


async def test_refresh_rotates_and_reuse_revokes_the_family(
    tenant: TenantHandle, settings: Settings
) -> None:
    strict = build_container(replace(settings, refresh_reuse_grace_seconds=0))
    transport = httpx.ASGITransport(app=create_app(strict), client=("198.51.100.20", 1000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://sk.test") as client:
            login = {"tenant": tenant.slug, "email": tenant.owner_email, "password": PASSWORD}
            first = (await client.post("/api/v1/auth/login", json=login)).json()
            second = await _refresh(client, first["refreshToken"])
            assert second.status_code == 200
            assert second.json()["refreshToken"] != first["refreshToken"]
            third = (await _refresh(client, second.json()["refreshToken"])).json()
            # A spent token presented again (no grace here) revokes the whole family.
            reuse = await _refresh(client, first["refreshToken"])
            assert reuse.status_code == 401
            assert reuse.json()["code"] == "refresh_token_reused"
            assert (await _refresh(client, third["refreshToken"])).status_code == 401
            bearer = {"Authorization": f"Bearer {third['accessToken']}"}
            me = await client.get("/api/v1/auth/me", headers=bearer)
            assert me.status_code == 401
            assert me.json()["code"] == "session_revoked"
    finally:
        await strict.aclose()


async def _refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/v1/auth/refresh", json={"refreshToken": token})


async def test_logout_revokes_access_and_refresh(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    tokens = await tenant.login(tenant.owner_email)
    auth = {"Authorization": f"Bearer {tokens['accessToken']}"}
    assert (await client.post("/api/v1/auth/logout", headers=auth)).status_code == 204
    assert (await client.get("/api/v1/auth/me", headers=auth)).status_code == 401
    again = await client.post("/api/v1/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
    assert again.status_code == 401


async def test_repeated_failures_per_account_get_429(
    tenant: TenantHandle, container: Container, app: Litestar
) -> None:
    limit = container.settings.login_max_failures_per_account
    transport = httpx.ASGITransport(app=app, client=("198.51.100.10", 1000))
    async with httpx.AsyncClient(transport=transport, base_url="http://shopkeeper.test") as client:
        body = {"tenant": tenant.slug, "email": tenant.owner_email, "password": "wrong-password"}
        for _ in range(limit):
            assert (await client.post("/api/v1/auth/login", json=body)).status_code == 401
        blocked = await client.post(
            "/api/v1/auth/login",
            json={**body, "password": PASSWORD},
            headers={"Accept-Language": "en"},
        )
    figure("R12", "brute force not 429 after the limit", int(blocked.status_code != 429), 0)
    assert blocked.status_code == 429
    assert (
        0 < int(blocked.headers["retry-after"]) <= container.settings.login_failure_window_seconds
    )
    assert blocked.json()["code"] == "rate_limited"


async def test_repeated_failures_per_address_get_429(
    tenant: TenantHandle, container: Container, app: Litestar
) -> None:
    limit = container.settings.login_max_failures_per_address
    transport = httpx.ASGITransport(app=app, client=("198.51.100.77", 1000))
    async with httpx.AsyncClient(transport=transport, base_url="http://shopkeeper.test") as client:
        for n in range(limit):
            body = {"tenant": tenant.slug, "email": f"nobody{n}@example.com", "password": "x" * 12}
            assert (await client.post("/api/v1/auth/login", json=body)).status_code == 401
        body = {"tenant": tenant.slug, "email": tenant.owner_email, "password": PASSWORD}
        blocked = await client.post("/api/v1/auth/login", json=body)
    figure("R12", "brute force not 429 after the limit", int(blocked.status_code != 429), 0)
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0


async def test_suspended_tenant_gets_403(
    tenant: TenantHandle, client: httpx.AsyncClient, container: Container
) -> None:
    headers = await tenant.headers("owner")
    await container.get(TenantOperations).suspend(support_context("unpaid invoice"), tenant.slug)
    response = await client.get("/api/v1/auth/me", headers=headers)
    assert response.status_code == 403
    assert response.json()["type"] == "urn:shopkeeper:problem:tenant_suspended"
    login = await client.post(
        "/api/v1/auth/login",
        json={"tenant": tenant.slug, "email": tenant.owner_email, "password": PASSWORD},
    )
    assert login.status_code == 403
    await container.get(TenantOperations).resume(support_context("paid"), tenant.slug)
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200


async def test_api_key_is_scoped_shown_once_and_revocable(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    created = await client.post(
        "/api/v1/api-keys",
        json={"name": "erp sync", "permissions": ["customers:read"]},
        headers=owner,
    )
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    assert key.startswith(f"sk_{tenant.id.hex}_")
    listed = (await client.get("/api/v1/api-keys", headers=owner)).json()
    assert all("key" not in item for item in listed)  # shown once only
    me = await client.get("/api/v1/auth/me", headers={"X-API-Key": key})
    assert me.status_code == 200
    assert me.json()["permissions"] == ["customers:read"]
    key_id = created.json()["apiKey"]["id"]
    assert (await client.delete(f"/api/v1/api-keys/{key_id}", headers=owner)).status_code == 204
    assert (await client.get("/api/v1/auth/me", headers={"X-API-Key": key})).status_code == 401
    tampered = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    assert (await client.get("/api/v1/auth/me", headers={"X-API-Key": tampered})).status_code == 401


async def test_api_key_cannot_exceed_its_creator(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    role = await client.post(
        "/api/v1/roles",
        json={
            "key": "key_maker",
            "name": "Key maker",
            "permissions": ["api_keys:manage", "customers:read"],
        },
        headers=await tenant.headers("owner"),
    )
    assert role.status_code == 201, role.text
    email = await tenant.add_user(["key_maker"])
    tokens = await tenant.login(email)
    response = await client.post(
        "/api/v1/api-keys",
        json={"name": "too strong", "permissions": ["customers:erase"]},
        headers={"Authorization": f"Bearer {tokens['accessToken']}"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "permission_escalation"


async def test_a_token_naming_another_users_session_is_refused(
    tenant: TenantHandle, client: httpx.AsyncClient, container: Container
) -> None:
    """#9, item 5: the session must be the token's user's. A correctly signed token whose
    subject is a real user and whose session is another (live) user's gets 401."""
    owner_claims = await _real_claims(tenant)
    staff_email = await tenant.add_user(["staff"])
    staff_token = (await tenant.login(staff_email))["accessToken"]
    staff_claims = jwt.decode(staff_token, options={"verify_signature": False})
    mixed = {**staff_claims, "sid": owner_claims["sid"]}
    token = jwt.encode(mixed, container.settings.token_signing_key, algorithm="HS256")
    response = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    figure("R12", "bad tokens tried", 1)
    figure("R12", "bad tokens accepted", int(response.status_code < 400), 0)
    assert response.status_code == 401
    control = jwt.encode(staff_claims, container.settings.token_signing_key, algorithm="HS256")
    ok = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {control}"})
    assert ok.status_code == 200


async def test_a_suspended_tenants_answer_does_not_tell_whether_the_password_was_right(
    tenant: TenantHandle, client: httpx.AsyncClient, container: Container
) -> None:
    """#9, item 10: right and wrong passwords get the same 403 from a suspended tenant."""
    await container.get(TenantOperations).suspend(support_context("unpaid invoice"), tenant.slug)
    answers = []
    for password in (PASSWORD, "wrong-password-1"):
        login = await client.post(
            "/api/v1/auth/login",
            json={"tenant": tenant.slug, "email": tenant.owner_email, "password": password},
        )
        answers.append((login.status_code, login.json()["code"]))
    assert answers == [(403, "tenant_suspended")] * 2
