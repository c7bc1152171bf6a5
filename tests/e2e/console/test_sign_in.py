"""PLT-8, PLT-2: the console signs in with the API's identity, keeps its session in an
HttpOnly cookie, refuses forms without their CSRF token, and shows a role only what it may
do — a forbidden page names the permission missing."""

from __future__ import annotations

from tests.conftest import TenantHandle
from tests.e2e.console.support import ConsoleClient


async def test_a_page_sends_a_stranger_to_sign_in_and_back(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    response = await console.get("/console")
    assert response.status_code == 302
    assert response.headers["location"] == "/console/login?next=/console"
    signed = await console.sign_in(tenant, tenant.owner_email)
    assert signed.status_code == 303
    assert signed.headers["location"] == "/console"
    home = await console.get("/console")
    assert home.status_code == 200
    assert f"Tenant {tenant.slug}" in home.text  # the company's name in the header


async def test_the_session_cookie_is_http_only_and_same_site(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    signed = await console.sign_in(tenant, tenant.owner_email)
    cookies = [v for k, v in signed.headers.multi_items() if k == "set-cookie"]
    session = next(c for c in cookies if c.startswith("shopkeeper_console="))
    assert "HttpOnly" in session
    assert "SameSite=lax" in session or "SameSite=Lax" in session
    assert "Path=/console" in session
    assert tenant.owner_email not in session  # encrypted: no token or address in clear


async def test_a_form_without_its_csrf_token_is_refused(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.get("/console/login")  # the CSRF cookie is set, but the form lacks it
    response = await console.http.post(
        "/console/login",
        data={"tenant": tenant.slug, "email": tenant.owner_email, "password": "x"},
    )
    assert response.status_code == 403
    assert "shopkeeper_console" not in response.headers.get("set-cookie", "")
    signed_in = await console.get("/console")
    assert signed_in.status_code == 302  # nothing happened: still signed out


async def test_a_wrong_password_says_so_in_the_chosen_language(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    chosen = await console.post_form(
        "/console/login", "/console/language", {"language": "zh-TW", "next": "/console/login"}
    )
    assert chosen.status_code == 303
    response = await console.sign_in(tenant, tenant.owner_email, "wrong-password")
    assert response.status_code == 401
    assert 'lang="zh-TW"' in response.text
    assert "登入" in response.text


async def test_accept_language_chooses_when_the_user_has_not(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    page = await console.get("/console/login", **{"accept-language": "en-GB,en;q=0.9"})
    assert 'lang="en"' in page.text
    assert "Sign in to Shopkeeper" in page.text


async def test_the_menu_shows_what_the_role_may_do(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "purchasing")
    home = await console.get("/console", **{"accept-language": "en"})
    assert home.status_code == 200
    assert "Dashboard" in home.text
    assert "orders today" not in home.text  # purchasing reads no order analytics
    assert "/console/settings/users" not in home.text  # nor the users


async def test_a_forbidden_page_names_the_permission_missing(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "staff")
    page = await console.get("/console/settings/users", **{"accept-language": "en"})
    assert page.status_code == 403
    assert "users:read" in page.text
    assert "Not allowed" in page.text


async def test_an_admin_sees_the_users_in_the_menu_and_the_page(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "admin")
    home = await console.get("/console", **{"accept-language": "zh-CN"})
    assert 'href="/console/settings/users"' in home.text
    users = await console.get("/console/settings/users", **{"accept-language": "zh-CN"})
    assert users.status_code == 200
    assert tenant.owner_email in users.text
    assert "启用" in users.text


async def test_signing_out_ends_the_session_everywhere(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "owner")
    saved = dict(console.http.cookies)
    out = await console.post_form("/console", "/console/logout", {})
    assert out.status_code == 303
    # The old cookie, replayed, no longer works: the session was revoked in identity.
    console.http.cookies.clear()
    for name, value in saved.items():
        console.http.cookies.set(name, value, domain="shopkeeper.test")
    again = await console.get("/console")
    assert again.status_code == 302
