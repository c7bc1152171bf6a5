"""``shopkeeper worker``: dramatiq actors and the outbox relay (entrypoints/worker)."""

from __future__ import annotations

from entrypoints.worker.worker import worker

__all__ = ["worker"]
