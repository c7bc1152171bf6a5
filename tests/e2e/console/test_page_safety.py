"""What every console page answers besides its content: never cached or framed (a page
may hold personal data or a key shown once), static files cached as usual; a signed-out
action returns to the page it was taken on; an inbox message links to its console page,
never elsewhere."""

from __future__ import annotations

from uuid import uuid4

from entrypoints.web.notifications.inbox import console_link
from tests.conftest import TenantHandle
from tests.e2e.console.support import ConsoleClient, csrf_token
from tests.support.built_app import routes_app

APP = routes_app()


async def test_pages_are_private_and_static_files_are_not(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "owner")
    page = await console.get("/console/customers")
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    script = await console.get("/console/static/vendor/htmx.min.js")
    assert script.status_code == 200
    assert script.headers.get("cache-control") != "no-store"


async def test_a_signed_out_action_returns_to_its_page(console: ConsoleClient) -> None:
    login = await console.get("/console/login")  # a CSRF cookie, no session
    response = await console.http.post(
        "/console/inbox/read-all",
        data={"_csrf_token": csrf_token(login.text)},
        headers={"referer": "http://shopkeeper.test/console/inbox?unread=true"},
    )
    assert response.status_code == 302
    # Back to the page the action was taken on (a redirect cannot repeat a POST).
    assert response.headers["location"] == "/console/login?next=/console/inbox%3Funread%3Dtrue"


def test_an_inbox_link_becomes_its_console_page_or_nothing() -> None:
    order = uuid4()
    assert console_link(APP, f"/orders/{order}") == f"/console/orders/{order}"
    assert console_link(APP, f"/logistics/shipments/{order}/tracking") is None
    assert console_link(APP, "//evil.example.com/orders") is None
    assert console_link(APP, "https://evil.example.com") is None
    assert console_link(APP, None) is None
