"""Product media and logo rules (CAT-3, CAT-6): accepted types by kind, size and pixel
limits, alt text, the per-product cap, ordering and positions."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.catalog.brand import Brand
from domain.catalog.media import (
    IMAGE_TYPES,
    MAX_ALT_TEXT_LENGTH,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_PIXELS,
    MAX_LOGO_BYTES,
    MAX_MEDIA_PER_PRODUCT,
    MAX_VIDEO_BYTES,
    FileTooLarge,
    MediaKind,
    ProductMedia,
    Rendition,
    StoredFile,
    check_alt_text,
    check_media_file,
    check_order,
    check_pixels,
    close_gap,
    extension_of,
    renditions_of,
    reorder,
)
from domain.shared.errors import ValidationFailed

PNG = StoredFile(uuid.uuid4(), "image/png", 100, "ab" * 32, 10, 10)
MP4 = StoredFile(uuid.uuid4(), "video/mp4", 1000, "cd" * 32)


def _codes(error: ValidationFailed) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in error.errors]


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("image/jpeg", MediaKind.IMAGE),
        ("image/png", MediaKind.IMAGE),
        ("image/webp", MediaKind.IMAGE),
        ("image/gif", MediaKind.IMAGE),
        ("video/mp4", MediaKind.VIDEO),
        ("video/webm", MediaKind.VIDEO),
        ("video/quicktime", MediaKind.VIDEO),
    ],
)
def test_accepted_types_and_their_kinds(content_type: str, kind: MediaKind) -> None:
    assert check_media_file(content_type, 1) is kind


@pytest.mark.parametrize(
    "content_type", ["", "text/html", "image/svg+xml", "application/x-msdownload", "image/tiff"]
)
def test_other_types_are_refused(content_type: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_media_file(content_type, 1)
    assert _codes(refused.value) == [("file", "unsupported_file_type")]


def test_size_limits_per_kind_are_inclusive() -> None:
    assert check_media_file("image/png", MAX_IMAGE_BYTES) is MediaKind.IMAGE
    assert check_media_file("video/mp4", MAX_VIDEO_BYTES) is MediaKind.VIDEO
    with pytest.raises(FileTooLarge) as too_large:
        check_media_file("image/png", MAX_IMAGE_BYTES + 1)
    assert too_large.value.params == {"max_mib": 10}
    # A video may be far larger than an image.
    assert check_media_file("video/mp4", MAX_IMAGE_BYTES + 1) is MediaKind.VIDEO
    with pytest.raises(FileTooLarge):
        check_media_file("video/mp4", MAX_VIDEO_BYTES + 1)
    with pytest.raises(ValidationFailed) as empty:
        check_media_file("image/png", 0)
    assert _codes(empty.value) == [("file", "required")]


def test_logos_are_small_images_only() -> None:
    assert check_media_file("image/webp", MAX_LOGO_BYTES, logo=True) is MediaKind.IMAGE
    with pytest.raises(FileTooLarge):
        check_media_file("image/webp", MAX_LOGO_BYTES + 1, logo=True)
    with pytest.raises(ValidationFailed) as video:
        check_media_file("video/mp4", 10, logo=True)
    assert _codes(video.value) == [("file", "unsupported_file_type")]
    # the accepted types as a list: the message says it as its language says a list
    assert video.value.errors[0].params["allowed"] == sorted(IMAGE_TYPES)


def test_pixel_limit_guards_against_decompression_bombs() -> None:
    check_pixels(8000, 5000)
    assert MAX_IMAGE_PIXELS == 8000 * 5000
    for width, height in ((8001, 5000), (100_000, 100_000), (0, 10)):
        with pytest.raises(ValidationFailed) as refused:
            check_pixels(width, height)
        assert _codes(refused.value) == [("file", "image_too_many_pixels")]


def test_alt_text_is_one_trimmed_line_of_bounded_length() -> None:
    assert check_alt_text(None) == "" and check_alt_text("   ") == ""
    assert check_alt_text(" 红色\n T恤 ") == "红色 T恤"
    assert check_alt_text("长" * MAX_ALT_TEXT_LENGTH) == "长" * MAX_ALT_TEXT_LENGTH
    with pytest.raises(ValidationFailed) as too_long:
        check_alt_text("长" * (MAX_ALT_TEXT_LENGTH + 1))
    assert _codes(too_long.value) == [("altText", "too_long")]
    with pytest.raises(ValidationFailed) as control:
        check_alt_text("a\u200bb")
    assert _codes(control.value) == [("altText", "invalid_characters")]


def test_renditions_and_served_types() -> None:
    assert renditions_of(MediaKind.IMAGE) == (Rendition.ORIGINAL, Rendition.SMALL, Rendition.MEDIUM)
    assert renditions_of(MediaKind.VIDEO) == (Rendition.ORIGINAL,)
    assert PNG.content_type_of(Rendition.ORIGINAL) == "image/png"
    assert PNG.content_type_of(Rendition.SMALL) == "image/webp"
    assert extension_of("video/quicktime") == "mov" and extension_of("text/html") == "bin"


def _media(count: int) -> list[ProductMedia]:
    product = uuid.uuid4()
    return [ProductMedia.create(uuid.uuid4(), product, PNG, None, i) for i in range(count)]


def test_new_media_are_appended_up_to_the_cap() -> None:
    product = uuid.uuid4()
    media = ProductMedia.create(uuid.uuid4(), product, MP4, " 开箱 ", 3)
    assert (media.position, media.alt_text, media.version) == (3, "开箱", 1)
    ProductMedia.create(uuid.uuid4(), product, PNG, None, MAX_MEDIA_PER_PRODUCT - 1)
    with pytest.raises(ValidationFailed) as full:
        ProductMedia.create(uuid.uuid4(), product, PNG, None, MAX_MEDIA_PER_PRODUCT)
    assert _codes(full.value) == [("file", "too_many")]


def test_alt_text_changes_move_the_version_only_when_different() -> None:
    media = _media(1)[0]
    assert media.change_alt_text("正面") is True and media.version == 2
    assert media.change_alt_text(" 正面 ") is False and media.version == 2
    assert media.change_alt_text(None) is True and media.alt_text == ""


def test_an_order_must_name_every_item_once() -> None:
    media = _media(3)
    ids = [m.id for m in media]
    stranger = uuid.uuid4()
    for bad, expected in (
        (ids[:2], [("order", "media_order_mismatch")]),
        ([ids[0], ids[0], ids[1]], [("order[1]", "duplicate")]),
        ([*ids, stranger], [("order[3]", "unknown_media")]),
    ):
        with pytest.raises(ValidationFailed) as refused:
            check_order(ids, bad)
        assert _codes(refused.value) == expected
    assert check_order([], []) == []


def test_reorder_returns_only_what_moved() -> None:
    media = _media(3)
    a, b, c = (m.id for m in media)
    moved = reorder(media, [c, a, b])
    assert {m.id for m in moved} == {a, b, c}
    assert {m.id: m.position for m in media} == {c: 0, a: 1, b: 2}
    assert reorder(media, [c, a, b]) == []
    assert all(m.version == 1 for m in media)  # positions are not content


@given(st.permutations(range(6)), st.integers(min_value=0, max_value=5))
def test_positions_stay_a_dense_sequence(order: list[int], removed_index: int) -> None:
    """Invariant: after any reorder and any deletion, positions are exactly 0..n-1 and
    follow the requested order."""
    media = _media(6)
    requested = [media[i].id for i in order]
    reorder(media, requested)
    removed = next(m for m in media if m.id == requested[removed_index])
    rest = [m for m in media if m.id != removed.id]
    close_gap(media, removed)
    assert sorted(m.position for m in rest) == list(range(5))
    assert [m.id for m in sorted(rest, key=lambda m: m.position)] == [
        i for i in requested if i != removed.id
    ]


def test_brand_logos_replace_and_remove_with_versions() -> None:
    brand = Brand.create(uuid.uuid4(), "Anker")
    assert brand.set_logo(PNG) is None and brand.version == 2
    other = StoredFile(uuid.uuid4(), "image/jpeg", 50, "ef" * 32, 5, 5)
    assert brand.set_logo(other) == PNG and brand.logo == other and brand.version == 3
    assert brand.remove_logo() == other and brand.logo is None and brand.version == 4
    assert brand.remove_logo() is None and brand.version == 4
    with pytest.raises(ValueError, match="image"):
        brand.set_logo(MP4)
