"""What an uploaded file is, from its bytes (CAT-3): ``filetype`` sniffs the magic
numbers, Pillow decodes images and makes their thumbnails.

Neither the client's content type nor the file name is ever consulted. An image must also
decode as the format its magic number says (an HTML page or an executable named
``.png`` has no PNG signature; a PNG signature followed by garbage does not decode).
Pillow's own decompression-bomb limit is set to the domain's pixel limit, so even a file
whose header lies is stopped when it is decoded; the use case checks the header's size
first. Decoding runs in a worker thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import warnings
from typing import BinaryIO

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError

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
                    image = ImageOps.exif_transpose(opened)
                    image.load()
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
        if image.mode not in ("RGB", "RGBA"):
            has_alpha = image.mode in ("LA", "PA") or "transparency" in image.info
            image = image.convert("RGBA" if has_alpha else "RGB")
        out: dict[Rendition, bytes] = {}
        for rendition, longest in sizes.items():
            thumb = image.copy()
            thumb.thumbnail((longest, longest), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            thumb.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
            out[rendition] = buffer.getvalue()
        return out
