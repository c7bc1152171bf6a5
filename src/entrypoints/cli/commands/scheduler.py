"""``shopkeeper scheduler``: the one leader-locked scheduler (entrypoints/worker)."""

from __future__ import annotations

from entrypoints.worker.scheduler import scheduler

__all__ = ["scheduler"]
