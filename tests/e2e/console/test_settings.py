"""PLT-2 in the console: tenant admins manage users, custom roles and API keys — each
change through identity's use cases, each refusal said in the page's language."""

from __future__ import annotations

import re

import httpx

from tests.conftest import PASSWORD, TenantHandle
from tests.e2e.console.support import ConsoleClient, csrf_token

ROLE_PAGE = re.compile(r"/console/settings/roles/([0-9a-f-]{36})")


async def _post(
    console: ConsoleClient, page: str, action: str, form: list[tuple[str, str]]
) -> httpx.Response:
    """Post ``form`` (a name may repeat: ticked boxes) with ``page``'s CSRF token."""
    shown = await console.get(page)
    data: dict[str, list[str]] = {"_csrf_token": [csrf_token(shown.text)]}
    for name, value in form:
        data.setdefault(name, []).append(value)
    return await console.http.post(action, data=data)


async def test_a_custom_role_is_created_changed_and_deleted(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "admin")
    roles = "/console/settings/roles"
    made = await _post(
        console,
        roles,
        roles,
        [
            ("key", "packer"),
            ("name", "打包员"),
            ("permissions", "fulfilment:pick"),
            ("permissions", "inventory:read"),
        ],
    )
    assert made.status_code == 303, made.text
    role_page = made.headers["location"]
    shown = await console.get(role_page, **{"accept-language": "en"})
    assert "Role packer created." in shown.text
    assert 'value="fulfilment:pick" checked' in shown.text
    assert 'value="orders:read" checked' not in shown.text
    version = re.search(r'name="version" value="(\d+)"', shown.text)
    assert version
    changed = await _post(
        console,
        role_page,
        role_page,
        [
            ("name", "打包员"),
            ("description", ""),
            ("permissions", "orders:read"),
            ("version", version[1]),
        ],
    )
    assert changed.status_code == 303
    again = await console.get(role_page)
    assert 'value="orders:read" checked' in again.text
    assert 'value="fulfilment:pick" checked' not in again.text
    version = re.search(r'name="version" value="(\d+)"', again.text)
    assert version
    named = await console.get(roles, **{"accept-language": "zh-CN"})
    assert "<td>客服</td>" in named.text and "<td>打包员</td>" in named.text  # built-in, custom
    assert "<strong>售后</strong>" in named.text and "<strong>物流</strong>" in named.text
    assert "<strong>aftersales</strong>" not in named.text  # each module's permissions in words
    deleted = await _post(console, role_page, f"{role_page}/delete", [("version", version[1])])
    assert deleted.status_code == 303
    listing = await console.get(roles)
    assert "<code>packer</code>" not in listing.text


async def test_a_bad_role_key_is_refused_and_nothing_is_created(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "admin")
    roles = "/console/settings/roles"
    shown = await console.get(roles)
    refused = await console.http.post(
        roles,
        data={"key": "Bad Key", "name": "x", "_csrf_token": csrf_token(shown.text)},
        headers={"hx-request": "true", "accept-language": "en"},
    )
    assert refused.status_code == 422
    assert refused.headers["hx-retarget"] == "#feedback"
    assert "Bad Key" not in (await console.get(roles)).text


async def test_a_user_is_added_given_roles_and_deactivated(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "admin")
    users = "/console/settings/users"
    email = f"packer-{tenant.slug}@example.com"
    made = await _post(
        console,
        users,
        users,
        [
            ("email", email),
            ("display_name", "小王"),
            ("password", PASSWORD),
            ("locale", "zh-CN"),
            ("roles", "warehouse"),
        ],
    )
    assert made.status_code == 303, made.text
    user_page = made.headers["location"]
    shown = await console.get(user_page, **{"accept-language": "en"})
    assert f"User {email} created." in shown.text and "warehouse" in shown.text
    version = re.search(r'name="version" value="(\d+)"', shown.text)
    assert version
    assigned = await _post(
        console, user_page, f"{user_page}/roles", [("roles", "staff"), ("version", version[1])]
    )
    assert assigned.status_code == 303
    shown = await console.get(user_page, **{"accept-language": "en"})
    assert "Roles saved." in shown.text
    assert '<span class="badge">Staff</span>' in shown.text  # a built-in role by its name
    version = re.search(r'name="version" value="(\d+)"', shown.text)
    assert version
    off = await _post(
        console, user_page, f"{user_page}/active", [("active", "false"), ("version", version[1])]
    )
    assert off.status_code == 303
    shown = await console.get(user_page, **{"accept-language": "en"})
    assert "Inactive" in shown.text
    refused = await console.sign_in(tenant, email)  # this browser now tries as them
    assert refused.status_code == 401


async def test_an_api_key_is_shown_once_works_and_is_revoked(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "admin")
    keys = "/console/settings/api-keys"
    made = await _post(console, keys, keys, [("name", "ERP 同步"), ("permissions", "catalog:read")])
    assert made.status_code == 200
    key = re.search(r'id="new-key" readonly value="([^"]+)"', made.text)
    assert key
    api = await tenant.client.get("/api/v1/catalog/products", headers={"X-API-Key": key[1]})
    assert api.status_code == 200
    listing = await console.get(keys)
    assert "ERP 同步" in listing.text and key[1] not in listing.text  # never shown again
    revoke = re.search(r"/console/settings/api-keys/([0-9a-f-]{36})/revoke", listing.text)
    assert revoke
    revoked = await _post(console, keys, revoke[0], [])
    assert revoked.status_code == 303
    api = await tenant.client.get("/api/v1/catalog/products", headers={"X-API-Key": key[1]})
    assert api.status_code == 401
