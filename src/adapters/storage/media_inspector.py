"""What an uploaded file is, from its bytes (CAT-3): ``filetype`` sniffs the magic
numbers, Pillow decodes images and makes their thumbnails.

Neither the client's content type nor the file name is ever consulted. An image must also
decode as the format its magic number says (an HTML page or an executable named
``.png`` has no PNG signature; a PNG signature followed by garbage does not decode).
Pillow's own decompression-bomb limit is set to the domain's pixel limit, so even a file
whose header lies is stopped when it is decoded; the use case checks the header's size
first. Decoding runs in a worker thread, off the event loop.

Decoding memory is bounded (#9, item 4): thumbnails never need the full-size raster
beyond the decode itself — a JPEG is decoded at a reduced scale (``draft``), any other
format is converted and reduced strip by strip, then closed — and the full-size rasters
decoded at once in the process share one budget, so parallel uploads queue rather than
add up.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

import filetype
from PIL import Image, UnidentifiedImageError

from application.shared.files import ImageHeader, SniffedFile
from domain.catalog.media import MAX_IMAGE_PIXELS, Rendition
from domain.shared.errors import ValidationFailed

HEADER_BYTES = 8192
CHUNK = 256 * 1024
PILLOW_FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
}
WEBP_QUALITY = 82
# Pillow holds RGB and RGBA (and most modes after conversion) in four bytes a pixel.
BYTES_PER_PIXEL = 4
# Full-size rasters decoded at once: a maximal image (40 MP) and a bit, never four.
DECODING_BUDGET_BYTES = 192 * 1024 * 1024
# Rows of the reduced image converted at a time (times the reduction factor).
STRIP_BLOCKS = 64
ORIENTATION_TAG = 0x0112
TRANSPOSITIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


def _invalid_image() -> ValidationFailed:
    return ValidationFailed.single("file", "invalid_image")


class PillowMediaInspector:
    async def sniff(self, source: BinaryIO) -> SniffedFile:
        return await asyncio.to_thread(self._sniff, source)

    def _sniff(self, source: BinaryIO) -> SniffedFile:
        source.seek(0)
        header = source.read(HEADER_BYTES)
        kind = filetype.guess(header) if header else None
        digest, size = hashlib.sha256(header), len(header)
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
        source.seek(0)
        return SniffedFile(kind.mime if kind else None, size, digest.hexdigest())

    async def image_header(self, source: BinaryIO) -> ImageHeader:
        return await asyncio.to_thread(self._image_header, source)

    def _image_header(self, source: BinaryIO) -> ImageHeader:
        source.seek(0)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(source) as image:  # reads the header only
                    content_type = PILLOW_FORMATS.get(image.format or "")
                    if content_type is None:
                        raise _invalid_image()
                    width, height = image.size
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise _invalid_image() from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            # The use case reports it as too many pixels.
            return ImageHeader("image/unknown", MAX_IMAGE_PIXELS + 1, 1)
        finally:
            source.seek(0)
        return ImageHeader(content_type, width, height)

    async def thumbnails(
        self, source: BinaryIO, sizes: dict[Rendition, int]
    ) -> dict[Rendition, bytes]:
        return await asyncio.to_thread(self._thumbnails, source, sizes)

    def _thumbnails(self, source: BinaryIO, sizes: dict[Rendition, int]) -> dict[Rendition, bytes]:
        try:
            source.seek(0)
            with Image.open(source) as probe:
                probe.verify()  # structure and checksums, before any pixel is decoded
            source.seek(0)
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(source) as opened:
                    opened.seek(0)  # the first frame of an animation
                    image = _reduced(opened, 2 * max(sizes.values(), default=1))
                    # after decoding: a PNG's EXIF may follow its pixels, read by load()
                    orientation = opened.getexif().get(ORIENTATION_TAG)
        except (
            UnidentifiedImageError,
            OSError,
            ValueError,
            SyntaxError,
            EOFError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ):
            raise _invalid_image() from None
        finally:
            source.seek(0)
        method = TRANSPOSITIONS.get(orientation) if isinstance(orientation, int) else None
        if method is not None:
            with image:
                image = image.transpose(method)
        with image:
            out: dict[Rendition, bytes] = {}
            # largest first, each made from the one before, in place: no copy
            for rendition, longest in sorted(sizes.items(), key=lambda size: -size[1]):
                image.thumbnail((longest, longest), Image.Resampling.LANCZOS)
                buffer = io.BytesIO()
                image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
                out[rendition] = buffer.getvalue()
            return {rendition: out[rendition] for rendition in sizes}


def _reduced(opened: Image.Image, longest: int) -> Image.Image:
    """The image in RGB or RGBA, its longest side reduced by a whole factor to no less
    than ``longest`` (or as it is when smaller): JPEG is decoded at that scale already
    (``draft``); other formats are decoded once, in their own mode, then converted and
    reduced strip by strip, so the only full-size raster is the decoded one, under the
    decoding budget, closed before the thumbnails are made."""
    width, height = opened.size
    factor = max(1, max(width, height) // max(longest, 1))
    if factor > 1 and opened.format == "JPEG":
        opened.draft(None, (max(1, width // factor), max(1, height // factor)))
        width, height = opened.size
        factor = max(1, max(width, height) // max(longest, 1))
    has_alpha = opened.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in opened.info
    mode = "RGBA" if has_alpha else "RGB"
    with _DECODING.holding(width * height * BYTES_PER_PIXEL):
        opened.load()
        if factor == 1:
            return opened.convert(mode) if opened.mode != mode else opened.copy()
        reduced = Image.new(mode, (-(-width // factor), -(-height // factor)))
        step = factor * STRIP_BLOCKS
        for top in range(0, height, step):
            box = (0, top, width, min(top + step, height))
            with (
                opened.crop(box) as strip,
                strip.convert(mode) as converted,
                converted.reduce(factor) as small,
            ):
                reduced.paste(small, (0, top // factor))
        return reduced


class DecodingBudget:
    """Bytes of full-size rasters decoded at once in this process: a decode waits until
    its raster fits, so parallel uploads queue instead of adding up (one larger than the
    whole budget runs alone)."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._used = 0
        self._free = threading.Condition()

    @contextmanager
    def holding(self, size: int) -> Iterator[None]:
        size = min(size, self._limit)
        with self._free:
            self._free.wait_for(lambda: self._used + size <= self._limit)
            self._used += size
        try:
            yield
        finally:
            with self._free:
                self._used -= size
                self._free.notify_all()


_DECODING = DecodingBudget(DECODING_BUDGET_BYTES)
