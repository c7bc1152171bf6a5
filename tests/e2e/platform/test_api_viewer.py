"""The API viewer works offline (issue #9, item 11): /schema and /schema/swagger load
Swagger UI from the service itself, pinned and with its licence, and reference no other
host."""

from __future__ import annotations

import re

import httpx
import pytest

from entrypoints.http.api_viewer import ASSETS, assets_dir

ATTRIBUTE_URL = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']+)["']""")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""")
ABSOLUTE_URL = re.compile(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE)


@pytest.mark.parametrize("page", ["/schema", "/schema/swagger", "/schema/oauth2-redirect.html"])
async def test_the_viewer_references_no_other_host(client: httpx.AsyncClient, page: str) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    # The page embeds the document, whose examples name example hosts (a webhook's URL):
    # those are text, not something the viewer loads.
    document = (await client.get("/schema/openapi.json")).text
    in_examples = set(ABSOLUTE_URL.findall(document))
    assert [url for url in ABSOLUTE_URL.findall(response.text) if url not in in_examples] == []


@pytest.mark.parametrize("page", ["/schema", "/schema/swagger"])
async def test_every_asset_the_viewer_loads_is_served_here(
    client: httpx.AsyncClient, page: str
) -> None:
    html = (await client.get(page)).text
    loaded = ATTRIBUTE_URL.findall(html)
    names = {url.rsplit("/", 1)[1] for url in loaded}
    assert {"swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"} <= names
    for url in loaded:
        assert url.startswith("/schema/assets/swagger-ui-"), url
        asset = await client.get(url)
        assert asset.status_code == 200, url
        name = url.rsplit("/", 1)[1]
        assert asset.content == (assets_dir() / name).read_bytes()
        assert asset.headers["content-type"].startswith(ASSETS[name])
        assert "immutable" in asset.headers["cache-control"]
    stylesheet = next(url for url in loaded if url.endswith(".css"))
    css = (await client.get(stylesheet)).text
    fetched_by_css = [u for u in CSS_URL.findall(css) if not u.startswith("data:")]
    assert fetched_by_css == []  # inline images only


async def test_the_licence_is_served_beside_the_assets_and_nothing_else(
    client: httpx.AsyncClient,
) -> None:
    html = (await client.get("/schema")).text
    base = ATTRIBUTE_URL.findall(html)[0].rsplit("/", 1)[0]
    licence = await client.get(f"{base}/LICENSE")
    assert licence.status_code == 200
    assert "Apache License" in licence.text
    for other in ("swagger-editor-bundle.js", "index.html", "..%2F__init__.py"):
        assert (await client.get(f"{base}/{other}")).status_code == 404
