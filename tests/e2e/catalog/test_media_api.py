"""Product media and brand logos over HTTP (CAT-3, CAT-6): real images made with Pillow,
types decided by the bytes, size limits with 413, thumbnails served with the right type,
order and alt text, tenant isolation of the files, and who may change them."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import httpx
from PIL import Image

from domain.catalog.media import MAX_IMAGE_BYTES, MAX_LOGO_BYTES, MAX_MEDIA_PER_PRODUCT
from domain.identity.permissions import BUILTIN_ROLES
from tests.conftest import TenantFactory, TenantHandle
from tests.support.built_app import routes_app

CATALOG = "/api/v1/catalog"


def png(width: int = 64, height: int = 48, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_rotated(width: int = 1200, height: int = 600) -> bytes:
    """A landscape JPEG whose EXIF says "rotate 90°": it displays as portrait."""
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 CW
    Image.new("RGB", (width, height), (20, 120, 220)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def mp4() -> bytes:
    """The start of an MP4 file (an ftyp box): what sniffing looks at."""
    return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 2048


async def _product(tenant: TenantHandle, client: httpx.AsyncClient, code: str = "MED-1") -> str:
    body = {"code": code, "name": "带图商品", "skus": [{"code": f"{code}-A", "listPrice": "9"}]}
    response = await client.post(
        f"{CATALOG}/products", json=body, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    product_id: str,
    content: bytes,
    *,
    filename: str = "photo.png",
    declared: str = "image/png",
    alt_text: str | None = None,
) -> httpx.Response:
    data = {"altText": alt_text} if alt_text is not None else {}
    return await client.post(
        f"{CATALOG}/products/{product_id}/media",
        files={"file": (filename, content, declared)},
        data=data,
        headers=headers,
    )


def _files_of(tenant: TenantHandle) -> list[Path]:
    root = tenant.container.settings.file_store_dir / str(tenant.id)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_an_image_is_stored_with_thumbnails_served_with_their_types(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    product_id = await _product(tenant, client)
    original = jpeg_rotated()
    # The client says PNG and names it .gif: neither counts, the bytes say JPEG.
    created = await upload(
        client, owner, product_id, original, filename="x.gif", declared="image/png",
        alt_text="  蓝色   T恤 正面 ",
    )  # fmt: skip
    assert created.status_code == 201, created.text
    media = created.json()
    assert media["kind"] == "image" and media["altText"] == "蓝色 T恤 正面"
    assert media["position"] == 0 and media["version"] == 1
    assert media["file"]["contentType"] == "image/jpeg"
    assert media["file"]["byteSize"] == len(original)
    assert (media["file"]["width"], media["file"]["height"]) == (1200, 600)
    assert created.headers["location"] == f"{CATALOG}/media/{media['id']}"
    assert set(media["file"]["urls"]) == {"original", "small", "medium"}

    served = await client.get(media["file"]["urls"]["original"], headers=owner)
    assert served.status_code == 200
    assert served.content == original
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "private" in served.headers["cache-control"]
    disposition = served.headers["content-disposition"]
    assert disposition.startswith("inline;") and "x.gif" not in disposition
    again = await client.get(
        media["file"]["urls"]["original"],
        headers={**owner, "If-None-Match": served.headers["etag"]},
    )
    assert again.status_code == 304 and again.content == b""

    for size, longest in (("small", 200), ("medium", 800)):
        thumb = await client.get(media["file"]["urls"][size], headers=owner)
        assert thumb.status_code == 200, thumb.text
        assert thumb.headers["content-type"] == "image/webp"
        assert thumb.headers["etag"] != served.headers["etag"]
        image = Image.open(io.BytesIO(thumb.content))
        assert image.format == "WEBP"
        # EXIF orientation applied: the landscape pixels display as portrait.
        assert image.size == (longest // 2, longest), size
    assert len(_files_of(tenant)) == 3

    fetched = await client.get(f"{CATALOG}/media/{media['id']}", headers=owner)
    assert fetched.json() == media and fetched.headers["etag"] == '"v1"'


async def test_a_video_is_kept_as_uploaded_without_thumbnails(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    product_id = await _product(tenant, client)
    created = await upload(
        client, owner, product_id, mp4(), filename="clip.png", declared="image/png"
    )
    assert created.status_code == 201, created.text
    media = created.json()
    assert media["kind"] == "video" and media["file"]["contentType"] == "video/mp4"
    assert set(media["file"]["urls"]) == {"original"}
    served = await client.get(media["file"]["urls"]["original"], headers=owner)
    assert served.headers["content-type"] == "video/mp4" and served.content == mp4()
    small = await client.get(f"{CATALOG}/media/{media['id']}/content?size=small", headers=owner)
    assert small.status_code == 404


async def test_files_that_only_claim_to_be_images_are_refused_and_nothing_is_stored(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    headers = {**(await tenant.headers("owner")), "Accept-Language": "en"}
    product_id = await _product(tenant, client)
    html = b"<!doctype html><html><script>alert(1)</script></html>"
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 512
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for content in (html, exe, svg):
        refused = await upload(client, headers, product_id, content, filename="evil.png")
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "unsupported_file_type"
    broken = png()[:40] + b"\x00" * 200  # a PNG signature, then garbage
    refused = await upload(client, headers, product_id, broken)
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_image"
    assert _files_of(tenant) == []
    listed = await client.get(f"{CATALOG}/products/{product_id}/media", headers=headers)
    assert listed.json() == {"items": []}


async def test_too_large_files_get_413_and_store_nothing(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    headers = {**(await tenant.headers("owner")), "Accept-Language": "en"}
    product_id = await _product(tenant, client)
    # A PNG header and more bytes than an image may have: refused by its kind's limit.
    too_big = png() + b"\x00" * (MAX_IMAGE_BYTES + 1 - len(png()))
    refused = await upload(client, headers, product_id, too_big)
    assert refused.status_code == 413, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "file_too_large"
    assert "10 MiB" in refused.json()["title"]

    # A logo body past the route's cap is refused while it is read.
    brand = await client.post(f"{CATALOG}/brands", json={"name": "Big"}, headers=headers)
    huge = b"\x89PNG" + b"\x00" * (MAX_LOGO_BYTES + 200_000)
    refused = await client.put(
        f"{CATALOG}/brands/{brand.json()['id']}/logo",
        files={"file": ("logo.png", huge, "image/png")},
        headers={**headers, "If-Match": '"v1"'},
    )
    assert refused.status_code == 413, refused.text
    assert refused.json()["code"] == "payload_too_large"
    assert _files_of(tenant) == []


async def test_decompression_bombs_are_refused_before_decoding(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    headers = {**(await tenant.headers("owner")), "Accept-Language": "en"}
    product_id = await _product(tenant, client)
    # 10,000 x 10,000 pixels of one colour compress to a tiny PNG.
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 1_000_000
    refused = await upload(client, headers, product_id, buffer.getvalue())
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "image_too_many_pixels"
    assert _files_of(tenant) == []


async def test_order_and_alt_text_round_trip(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    product_id = await _product(tenant, client)
    ids = []
    for i, color in enumerate(((255, 0, 0), (0, 255, 0), (0, 0, 255))):
        created = await upload(client, owner, product_id, png(color=color), alt_text=f"图{i}")
        assert created.status_code == 201, created.text
        assert created.json()["position"] == i
        ids.append(created.json()["id"])
    base = f"{CATALOG}/products/{product_id}/media"

    stale = await client.put(f"{base}/order", json={"order": ids[:2]}, headers=owner)
    assert stale.status_code == 422 and stale.json()["code"] == "media_order_mismatch"
    duplicate = await client.put(f"{base}/order", json={"order": [ids[0]] * 3}, headers=owner)
    assert duplicate.status_code == 422
    new_order = [ids[2], ids[0], ids[1]]
    moved = await client.put(f"{base}/order", json={"order": new_order}, headers=owner)
    assert moved.status_code == 200, moved.text
    assert [m["id"] for m in moved.json()["items"]] == new_order
    listed = (await client.get(base, headers=owner)).json()["items"]
    assert [(m["id"], m["position"]) for m in listed] == [(m, i) for i, m in enumerate(new_order)]

    url = f"{CATALOG}/media/{ids[0]}"
    assert (await client.patch(url, json={"altText": "x"}, headers=owner)).status_code == 428
    changed = await client.patch(
        url, json={"altText": "正面"}, headers={**owner, "If-Match": '"v1"'}
    )
    assert changed.status_code == 200 and changed.headers["etag"] == '"v2"'
    assert changed.json()["altText"] == "正面"
    stale_edit = await client.patch(
        url, json={"altText": "背面"}, headers={**owner, "If-Match": '"v1"'}
    )
    assert stale_edit.status_code == 412
    too_long = await client.patch(
        url, json={"altText": "长" * 251}, headers={**owner, "If-Match": '"v2"'}
    )
    assert too_long.status_code == 422 and too_long.json()["code"] == "too_long"

    # Deleting the first item moves the others up and removes its files.
    before = len(_files_of(tenant))
    first = f"{CATALOG}/media/{ids[2]}"
    deleted = await client.delete(first, headers={**owner, "If-Match": '"v1"'})
    assert deleted.status_code == 204, deleted.text
    assert len(_files_of(tenant)) == before - 3
    listed = (await client.get(base, headers=owner)).json()["items"]
    assert [(m["id"], m["position"]) for m in listed] == [(ids[0], 0), (ids[1], 1)]
    assert (await client.get(f"{first}/content", headers=owner)).status_code == 404

    audit = (await client.get("/api/v1/audit", headers=owner)).json()
    actions = {row["action"] for row in audit["items"]}
    assert {"product_media.create", "product_media.reorder", "product_media.update"} <= actions
    assert "product_media.delete" in actions


async def test_a_product_holds_a_bounded_number_of_media(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    product_id = await _product(tenant, client)
    tiny = png(4, 4)
    for _ in range(MAX_MEDIA_PER_PRODUCT):
        assert (await upload(client, owner, product_id, tiny)).status_code == 201
    stored = len(_files_of(tenant))
    refused = await upload(client, owner, product_id, tiny)
    assert refused.status_code == 422 and refused.json()["code"] == "too_many"
    assert len(_files_of(tenant)) == stored  # the refused upload's files were removed


async def test_archived_products_take_no_new_media(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    product_id = await _product(tenant, client)
    archived = await client.delete(
        f"{CATALOG}/products/{product_id}", headers={**owner, "If-Match": '"v1"'}
    )
    assert archived.status_code == 204, archived.text
    refused = await upload(client, owner, product_id, png())
    assert refused.status_code == 409 and refused.json()["code"] == "product_archived"
    assert _files_of(tenant) == []


async def test_another_tenant_gets_404_on_the_files(
    new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    a, b = await new_tenant(), await new_tenant()
    product_id = await _product(a, client)
    media = (await upload(client, await a.headers("owner"), product_id, png())).json()
    brand = await client.post(
        f"{CATALOG}/brands", json={"name": "A"}, headers=await a.headers("owner")
    )
    logo = await client.put(
        f"{CATALOG}/brands/{brand.json()['id']}/logo",
        files={"file": ("l.png", png(), "image/png")},
        headers={**(await a.headers("owner")), "If-Match": '"v1"'},
    )
    assert logo.status_code == 200, logo.text
    urls = [*media["file"]["urls"].values(), *logo.json()["logo"]["urls"].values()]
    for url in urls:
        assert (await client.get(url, headers=await a.headers("owner"))).status_code == 200
        assert (await client.get(url, headers=await b.headers("owner"))).status_code == 404, url
    # B uploading to A's product stores nothing, anywhere.
    refused = await upload(client, await b.headers("owner"), product_id, png())
    assert refused.status_code == 404
    assert _files_of(b) == []


async def test_brand_logo_set_replace_serve_remove(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = {**(await tenant.headers("owner")), "Accept-Language": "en"}
    brand = (await client.post(f"{CATALOG}/brands", json={"name": "Logo"}, headers=owner)).json()
    url = f"{CATALOG}/brands/{brand['id']}"
    assert brand["logo"] is None
    assert (await client.get(f"{url}/logo", headers=owner)).status_code == 404

    missing_version = await client.put(
        f"{url}/logo", files={"file": ("a.png", png(), "image/png")}, headers=owner
    )
    assert missing_version.status_code == 428
    video = await client.put(
        f"{url}/logo",
        files={"file": ("a.png", mp4(), "image/png")},
        headers={**owner, "If-Match": '"v1"'},
    )
    assert video.status_code == 422 and video.json()["code"] == "unsupported_file_type"

    first = await client.put(
        f"{url}/logo",
        files={"file": ("a.png", png(color=(1, 2, 3)), "image/png")},
        headers={**owner, "If-Match": '"v1"'},
    )
    assert first.status_code == 200, first.text
    assert first.headers["etag"] == '"v2"'
    logo = first.json()["logo"]
    assert logo["contentType"] == "image/png" and (logo["width"], logo["height"]) == (64, 48)
    assert (await client.get(url, headers=owner)).json()["logo"] == logo
    served = await client.get(logo["urls"]["original"], headers=owner)
    assert served.headers["content-type"] == "image/png" and served.content == png(color=(1, 2, 3))
    small = await client.get(logo["urls"]["small"], headers=owner)
    assert small.headers["content-type"] == "image/webp"
    assert len(_files_of(tenant)) == 3

    replaced = await client.put(
        f"{url}/logo",
        files={"file": ("b.jpg", jpeg_rotated(40, 20), "image/jpeg")},
        headers={**owner, "If-Match": '"v2"'},
    )
    assert replaced.status_code == 200 and replaced.json()["logo"]["contentType"] == "image/jpeg"
    assert len(_files_of(tenant)) == 3  # the old logo's files are gone
    served = await client.get(logo["urls"]["original"], headers=owner)
    assert served.headers["content-type"] == "image/jpeg"

    removed = await client.delete(f"{url}/logo", headers={**owner, "If-Match": '"v3"'})
    assert removed.status_code == 200 and removed.json()["logo"] is None
    assert removed.headers["etag"] == '"v4"'
    assert _files_of(tenant) == []
    again = await client.delete(f"{url}/logo", headers={**owner, "If-Match": '"v4"'})
    assert again.status_code == 200 and again.headers["etag"] == '"v4"'  # no change


async def test_an_idempotent_upload_is_stored_once(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    headers = {**(await tenant.headers("owner")), "Idempotency-Key": uuid.uuid4().hex}
    product_id = await _product(tenant, client)
    first = await upload(client, headers, product_id, png(), alt_text="一")
    replay = await upload(client, headers, product_id, png(), alt_text="一")
    assert first.status_code == replay.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["id"] == first.json()["id"]
    assert len(_files_of(tenant)) == 3  # the replay's files were removed
    other = await upload(client, headers, product_id, png(), alt_text="二")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


ROUTES = [
    ("GET", f"{CATALOG}/products/{{product_id:uuid}}/media"),
    ("POST", f"{CATALOG}/products/{{product_id:uuid}}/media"),
    ("PUT", f"{CATALOG}/products/{{product_id:uuid}}/media/order"),
    ("GET", f"{CATALOG}/media/{{media_id:uuid}}"),
    ("PATCH", f"{CATALOG}/media/{{media_id:uuid}}"),
    ("DELETE", f"{CATALOG}/media/{{media_id:uuid}}"),
    ("GET", f"{CATALOG}/media/{{media_id:uuid}}/content"),
    ("PUT", f"{CATALOG}/brands/{{brand_id:uuid}}/logo"),
    ("GET", f"{CATALOG}/brands/{{brand_id:uuid}}/logo"),
    ("DELETE", f"{CATALOG}/brands/{{brand_id:uuid}}/logo"),
]
READER = (200, 403, 403, 200, 403, 403, 200, 403, 200, 403)
WRITER = (200, 201, 200, 200, 200, 204, 200, 200, 200, 200)
NOTHING = (403,) * len(ROUTES)
MATRIX: dict[str, tuple[int, ...]] = {
    "owner": WRITER,
    "admin": WRITER,
    "finance": READER,
    "warehouse": READER,
    "customer_service": READER,
    "marketing": WRITER,
    "purchasing": READER,
    "hr": NOTHING,
    "staff": NOTHING,
}


def test_the_matrix_covers_every_builtin_role_and_media_route() -> None:
    assert set(MATRIX) == set(BUILTIN_ROLES)
    routes = {
        (method, route.path)
        for route in routes_app().routes
        if route.path.startswith("/api/")  # the console's pages have tests of their own
        and ("/media" in route.path or route.path.endswith("/logo"))
        for method in set(route.methods) - {"HEAD", "OPTIONS"}
    }
    assert routes == set(ROUTES)


async def test_catalog_read_serves_and_only_catalog_write_changes(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    actual = {}
    for i, role in enumerate(MATRIX):
        headers = await tenant.headers(role)
        product_id = await _product(tenant, client, f"RB-{i}")
        media = (await upload(client, owner, product_id, png())).json()
        other = (await upload(client, owner, product_id, png())).json()
        bare = await client.post(f"{CATALOG}/brands", json={"name": f"b{i}"}, headers=owner)
        with_logo = (
            await client.post(f"{CATALOG}/brands", json={"name": f"l{i}"}, headers=owner)
        ).json()
        await client.put(
            f"{CATALOG}/brands/{with_logo['id']}/logo",
            files={"file": ("l.png", png(), "image/png")},
            headers={**owner, "If-Match": '"v1"'},
        )
        base = f"{CATALOG}/products/{product_id}/media"
        stored = len(_files_of(tenant))
        responses = [
            await client.get(base, headers=headers),
            await upload(client, headers, product_id, png()),
        ]
        if responses[1].status_code == 403:
            assert len(_files_of(tenant)) == stored  # a refused writer stores nothing
        order = [m["id"] for m in (await client.get(base, headers=owner)).json()["items"]]
        item, second = f"{CATALOG}/media/{media['id']}", f"{CATALOG}/media/{other['id']}"
        bare_logo = f"{CATALOG}/brands/{bare.json()['id']}/logo"
        logo = f"{CATALOG}/brands/{with_logo['id']}/logo"
        responses += [
            await client.put(f"{base}/order", json={"order": order[::-1]}, headers=headers),
            await client.get(item, headers=headers),
            await client.patch(
                item, json={"altText": role}, headers={**headers, "If-Match": '"v1"'}
            ),
            await client.delete(second, headers={**headers, "If-Match": '"v1"'}),
            await client.get(f"{item}/content?size=small", headers=headers),
            await client.put(
                bare_logo,
                files={"file": ("l.png", png(), "image/png")},
                headers={**headers, "If-Match": '"v1"'},
            ),
            await client.get(logo, headers=headers),
            await client.delete(logo, headers={**headers, "If-Match": '"v2"'}),
        ]
        for response in responses:
            if response.status_code == 403:
                assert response.json()["code"] == "permission_denied", response.text
        actual[role] = tuple(r.status_code for r in responses)
    assert actual == MATRIX
    audit = (await client.get("/api/v1/audit?limit=200", headers=owner)).json()["items"]
    denied = {(r["action"], r["outcome"]) for r in audit if r["outcome"] == "denied"}
    assert {("product_media.create", "denied"), ("brand.logo_set", "denied")} <= denied
