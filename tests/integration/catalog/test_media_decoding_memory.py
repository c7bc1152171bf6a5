"""#9, item 4: decoding an image for its thumbnails is bounded in memory. A 100 kB PNG of
6000×6000 pixels used to cost ~450 MiB (the decoded raster, its EXIF-transposed copy and a
copy per thumbnail), and four at once ~1.7 GiB. Pillow allocates outside Python's
allocator, so the peak resident size (``ru_maxrss``) of a fresh interpreter is measured
around the decoding alone."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

MiB = 1024 * 1024
SIDE = 6000
RASTER = SIDE * SIDE * 4  # Pillow holds an RGB pixel in four bytes: ~137 MiB
MEASURE = """
import asyncio, io, json, resource, sys
from adapters.storage.media_inspector import PillowMediaInspector
from domain.catalog.media import THUMBNAIL_SIZES
data = open(sys.argv[1], "rb").read()
inspector = PillowMediaInspector()
async def main():
    return await asyncio.gather(*(
        inspector.thumbnails(io.BytesIO(data), THUMBNAIL_SIZES) for _ in range(int(sys.argv[2]))
    ))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
made = asyncio.run(main())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"peak_kib": peak, "renditions": [sorted(m) for m in made]}))
"""


def blank_png(width: int, height: int) -> bytes:
    """An RGB PNG written row by row, so making it costs no raster of its own."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    compressor = zlib.compressobj(9)
    row = b"\x00" + bytes(width * 3)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def large_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("png") / "large.png"
    path.write_bytes(blank_png(SIDE, SIDE))
    assert path.stat().st_size < 200 * 1024
    return path


def peak_decoding(path: Path, at_once: int) -> int:
    """Bytes the process grew by while making the thumbnails ``at_once`` times in parallel."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(["src", os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), str(at_once)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        timeout=300,
    )
    measured = json.loads(done.stdout)
    assert measured["renditions"] == [["medium", "small"]] * at_once
    return int(measured["peak_kib"]) * 1024


def test_one_large_png_holds_its_decoded_raster_and_little_more(large_png: Path) -> None:
    assert peak_decoding(large_png, 1) < RASTER + 64 * MiB


def test_four_at_once_queue_for_the_decoding_budget(large_png: Path) -> None:
    assert peak_decoding(large_png, 4) < 2 * RASTER + 64 * MiB
