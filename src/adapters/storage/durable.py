"""Small files published whole or not at all, and made durable (the tenants' key files,
the audit anchors, stored files): what a crash or a racing writer must not tear."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def fsync_directory(directory: Path) -> None:
    """Makes a rename, link or unlink in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish_private(target: Path, body: bytes, *, overwrite: bool) -> None:
    """Publishes ``body`` as ``target`` (mode 0600) whole: written to a fresh temporary file
    beside it and fsynced, then renamed over ``target`` when ``overwrite``, or else
    hard-linked to it, which publishes as atomically but never overwrites (a file already
    there wins and ours is discarded); then the directory is fsynced."""
    temp = target.parent / f".{target.name}.{secrets.token_hex(8)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            os.write(fd, body)
            os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(temp, target)
        else:
            with contextlib.suppress(FileExistsError):
                os.link(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    fsync_directory(target.parent)
