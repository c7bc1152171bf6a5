"""Product media on fakes (CAT-3): positions 0..n-1 through uploads, reorders and
deletions; files stored and discarded with the rows; archived products refuse uploads."""

from __future__ import annotations

import io
from uuid import UUID

import pytest
from PIL import Image

from application.catalog.media import ChangeAltText, ListMedia, ReorderMedia, Upload
from application.catalog.products import ArchiveProduct, CreateProduct
from domain.catalog.media import ProductMedia
from domain.shared.errors import Conflict, ValidationFailed
from tests.unit.catalog.use_cases.shop import Shop, ctx, product_data


def png(colour: str = "red") -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(data, "PNG")
    data.seek(0)
    return data


async def product_with_media(shop: Shop, count: int) -> tuple[UUID, list[ProductMedia]]:
    created = await shop.run(ctx(), CreateProduct("EAR", product_data()))
    pid = created.product.id
    media = [await shop.media.upload(ctx(), pid, Upload(png(), f"图{i}")) for i in range(count)]
    return pid, media


async def test_uploads_append_and_deletion_closes_the_gap(shop: Shop) -> None:
    pid, (a, b, c) = await product_with_media(shop, 3)
    assert [m.position for m in (a, b, c)] == [0, 1, 2]
    assert (a.file.width, a.file.height, a.file.content_type) == (40, 30, "image/png")
    stored_files = len(shop.files.files)
    assert stored_files >= 3  # originals and their thumbnails

    await shop.media.delete(ctx(), b.id, 1)

    left = await shop.query(ctx("warehouse"), ListMedia(pid))
    assert [(m.id, m.position) for m in left] == [(a.id, 0), (c.id, 1)]
    assert len(shop.files.files) == stored_files * 2 // 3  # b's renditions discarded
    assert [e.event_type for e in shop.events][-1] == "product_media.deleted"


async def test_reorder_names_every_item_once(shop: Shop) -> None:
    pid, (a, b, c) = await product_with_media(shop, 3)
    shop.forget_history()

    ordered = await shop.run(ctx(), ReorderMedia(pid, [c.id, a.id, b.id]))

    assert [m.id for m in ordered] == [c.id, a.id, b.id]
    assert [m.id for m in await shop.query(ctx(), ListMedia(pid))] == [c.id, a.id, b.id]
    assert [(e.event_type, e.changed_fields) for e in shop.events] == [
        ("product.media_reordered", ("media",))
    ]
    with pytest.raises(ValidationFailed) as caught:
        await shop.run(ctx(), ReorderMedia(pid, [c.id, a.id]))
    assert caught.value.errors[0].code == "media_order_mismatch"
    shop.forget_history()
    await shop.run(ctx(), ReorderMedia(pid, [c.id, a.id, b.id]))  # the order it has
    assert shop.audit == [] and shop.events == []


async def test_alt_text_is_versioned(shop: Shop) -> None:
    _, (a,) = await product_with_media(shop, 1)
    changed = await shop.run(ctx(), ChangeAltText(a.id, "正面", 1))
    assert (changed.alt_text, changed.version) == ("正面", 2)
    assert shop.audit[-1].detail == {"version": 2}


async def test_an_archived_product_takes_no_media_and_no_file_is_kept(shop: Shop) -> None:
    created = await shop.run(ctx(), CreateProduct("EAR", product_data()))
    await shop.run(ctx(), ArchiveProduct(created.product.id, 1))
    with pytest.raises(Conflict) as caught:
        await shop.media.upload(ctx(), created.product.id, Upload(png()))
    assert caught.value.code == "product_archived"
    assert shop.files.files == {}
