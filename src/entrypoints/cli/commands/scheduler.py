"""``shopkeeper scheduler``: the one leader-locked scheduler (entrypoints/worker).

Declared here, run there: the scheduler and the container are imported when the command
runs, so ``shopkeeper scheduler --help`` stays quick (#9, item 19)."""

from __future__ import annotations

import click


@click.command()
def scheduler() -> None:
    """Fire periodic jobs; run any number, one leads (Postgres advisory lock)."""
    from entrypoints.worker.scheduler import serve_scheduler

    serve_scheduler()
