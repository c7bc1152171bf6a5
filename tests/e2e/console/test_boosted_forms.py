"""PLT-8: every posted form goes through htmx (``static/console.js`` boosts it), so a
refusal is said in ``#feedback`` and the form keeps what was typed, and a success follows
``done()``'s HX-Redirect; the sign-in form and the header's session forms (language, sign
out) stay plain posts, as do GET forms and links (downloads among them). These drive the
server's side of it as htmx would; ``test_catalog_in_browser.py`` shows it in Chromium."""

from __future__ import annotations

import re

import httpx

from entrypoints.messages import message
from tests.conftest import TenantHandle
from tests.e2e.console.catalog_support import api_channel, api_product
from tests.e2e.console.support import ConsoleClient, csrf_token

EN = {"Accept-Language": "en"}
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true", **EN}
PRODUCTS = "/console/catalog/products"


def _form_tag(html: str, action: str) -> str:
    found = re.search(rf'<form [^>]*action="{re.escape(action)}"[^>]*>', html)
    assert found, f"no form posts to {action}"
    return found[0]


async def _prices_form(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> tuple[str, dict[str, str]]:
    channel = await api_channel(tenant, client)
    product = await api_product(tenant, client, "MUG-1", "Ceramic mug")
    await console.sign_in_as(tenant, "owner")
    location = f"{PRODUCTS}/{product['id']}"
    shown = await console.get(location, **EN)
    form = {
        "_csrf_token": csrf_token(shown.text),
        "channel": channel,
        "version": "",
        f"price_{product['skus'][0]['id']}": "12,5元",
    }
    return location, form


async def test_a_boosted_refusal_is_said_in_feedback_and_changes_nothing(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    location, form = await _prices_form(console, tenant, client)
    refused = await console.http.post(f"{location}/prices", data=form, headers=BOOSTED)
    assert refused.status_code == 422
    assert refused.headers["hx-retarget"] == "#feedback"  # the page (and its typing) stays
    assert "<html" not in refused.text and "<form" not in refused.text
    assert message("invalid_amount", "en") in refused.text
    plain = await console.http.post(f"{location}/prices", data=form, headers=EN)
    assert plain.status_code == 422 and "<html" in plain.text  # without script: a whole page
    page = await console.get(location, **EN)
    assert 'value="12,5元"' not in page.text and "12.5" not in page.text  # nothing saved


async def test_a_boosted_success_is_an_hx_redirect_with_its_note(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    location, form = await _prices_form(console, tenant, client)
    price = next(name for name in form if name.startswith("price_"))
    saved = await console.http.post(
        f"{location}/prices", data={**form, price: "12.50"}, headers=BOOSTED
    )
    assert saved.status_code == 200
    assert saved.headers["hx-redirect"] == location
    page = await console.get(location, **EN)
    assert message("catalog.prices_saved", "en") in page.text
    assert 'value="12.50"' in page.text


async def test_a_boosted_request_is_answered_with_the_whole_page_not_a_fragment(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "owner")
    live = await console.get("/console/catalog", **{"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in live.text  # live search: the results part alone
    boosted = await console.get("/console/catalog", **BOOSTED, **{"HX-Target": "results"})
    assert "<html" in boosted.text


async def test_the_sign_in_form_is_a_plain_post(console: ConsoleClient) -> None:
    page = await console.get("/console/login")
    assert 'hx-boost="false"' in _form_tag(page.text, "/console/login")


async def test_the_language_and_sign_out_forms_are_plain_posts(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "owner")
    page = await console.get("/console")
    for action in ("/console/language", "/console/logout"):
        assert 'hx-boost="false"' in _form_tag(page.text, action), action
