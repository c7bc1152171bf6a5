"""``shopkeeper worker``: dramatiq actors and the outbox relay (entrypoints/worker).

Declared here, run there: the runtime (dramatiq, the container) is imported when the
command runs, so ``shopkeeper worker --help`` stays quick (#9, item 19)."""

from __future__ import annotations

import click


@click.command()
@click.option("--threads", type=int, default=8, show_default=True, help="Worker threads.")
@click.option("--queue", "queues", multiple=True, help="Consume only these queues (default: all).")
@click.option("--no-relay", is_flag=True, help="Do not run the outbox relay in this process.")
def worker(threads: int, queues: tuple[str, ...], no_relay: bool) -> None:
    """Run background tasks and the outbox relay until SIGTERM/SIGINT."""
    from entrypoints.worker.worker import run_worker

    run_worker(threads, queues, no_relay)
