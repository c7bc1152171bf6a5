"""Reads answer ``304 Not Modified`` to a client that holds the current representation
(RFC 9110 §13.1.2, the ETag convention of docs/architecture.md): ``If-None-Match`` with the
tag a read gave back, in any form the RFC allows; any other tag, a write, or a resource
changed since gets the whole answer."""

from __future__ import annotations

import uuid

import httpx

from entrypoints.http.conditional import none_match
from tests.conftest import TenantHandle

BRANDS = "/api/v1/catalog/brands"


def test_if_none_match_compares_weakly_and_reads_a_list() -> None:
    assert none_match('"v3"', '"v3"') and none_match('W/"v3"', '"v3"')
    assert none_match('"v1", W/"v3"', '"v3"') and none_match(" * ", '"v3"')
    assert not none_match('"v2"', '"v3"') and not none_match("v3", '"v3"')
    assert not none_match('"v3"', "v3")  # not a tag: never matched


async def test_a_read_the_client_holds_is_304_with_its_tag_and_no_body(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    created = await client.post(BRANDS, json={"name": "甲"}, headers=owner)
    url = created.headers["location"]
    first = await client.get(url, headers=owner)
    tag = first.headers["etag"]
    for asked in (tag, f"W/{tag}", f'"elsewhere", {tag}', "*"):
        held = await client.get(url, headers={**owner, "If-None-Match": asked})
        assert held.status_code == 304, asked
        assert held.content == b"" and held.headers["etag"] == tag
        assert "content-type" not in held.headers and held.headers["x-request-id"]

    other = await client.get(url, headers={**owner, "If-None-Match": '"v99"'})
    assert other.status_code == 200 and other.json() == first.json()
    renamed = await client.patch(url, json={"name": "乙"}, headers={**owner, "If-Match": tag})
    assert renamed.status_code == 200
    changed = await client.get(url, headers={**owner, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.json()["name"] == "乙"
    assert changed.headers["etag"] == renamed.headers["etag"] != tag


async def test_a_304_says_no_more_than_a_200_would(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """The handler still runs: without a token, or for another company's id, the answer is
    the refusal a read without the header gets, never a 304 that would confirm the tag."""
    owner = await tenant.headers("owner")
    created = await client.post(BRANDS, json={"name": "丙"}, headers=owner)
    url = created.headers["location"]
    tag = created.headers["etag"]
    anonymous = await client.get(url, headers={"If-None-Match": tag})
    assert anonymous.status_code == 401
    missing = await client.get(f"{BRANDS}/{uuid.uuid4()}", headers={**owner, "If-None-Match": "*"})
    assert missing.status_code == 404
    write = await client.patch(
        url, json={"name": "丁"}, headers={**owner, "If-Match": tag, "If-None-Match": tag}
    )
    assert write.status_code == 200  # If-None-Match is for reads here
