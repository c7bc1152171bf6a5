"""Small files published whole (adapters/storage/durable.py, #8): the key store's never
overwrite, the anchors' do; either way the file is private and no temporary file stays."""

from __future__ import annotations

import stat
from pathlib import Path

from adapters.storage.durable import publish_private


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_publishing_without_overwrite_keeps_what_is_there(tmp_path: Path) -> None:
    target = tmp_path / "t.kek"
    publish_private(target, b"first", overwrite=False)
    publish_private(target, b"second", overwrite=False)
    assert target.read_bytes() == b"first"
    assert _mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.kek"]


def test_publishing_with_overwrite_replaces_it(tmp_path: Path) -> None:
    target = tmp_path / "t.anchor.json"
    publish_private(target, b"first", overwrite=True)
    publish_private(target, b"second", overwrite=True)
    assert target.read_bytes() == b"second"
    assert _mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.anchor.json"]
