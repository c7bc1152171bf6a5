"""What the file routes share (the catalog's imports and exports, the opening-stock
import): the media types of CSV and XLSX, a download response, and the digest of an
uploaded form for its Idempotency-Key (the form's content, not its bytes: the multipart
boundary differs between two sends)."""

from __future__ import annotations

import hashlib

from litestar import Response

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


async def form_digest(*parts: bytes) -> bytes:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.digest()


def download(content: bytes, fmt: str, name: str) -> Response[bytes]:
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )
