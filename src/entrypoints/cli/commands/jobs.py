"""``shopkeeper jobs``: background work for support staff (docs/events-and-jobs.md).

``backlog`` and ``dead-letters`` only read (tenant slugs, counts, ids and exception names:
no personal data); ``retry`` re-enqueues dead letters and ``redrive`` publishes the outbox
again after Redis lost its messages, each recorded in the operator audit log.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from entrypoints.cli.runtime import json_option, print_json, run, system_context

if TYPE_CHECKING:
    from bootstrap import Container  # imported when a command runs (runtime.run)


@click.group()
def jobs() -> None:
    """Outbox backlog, queues and dead letters of the background workers."""


@jobs.command()
@json_option
def backlog(as_json: bool) -> None:
    """Unpublished outbox events per tenant, and the length of each queue."""

    async def work(container: Container) -> None:
        # Here, not at the top: the worker's task modules import the container, and
        # ``jobs --help`` should not pay for it (#9, item 19).
        from entrypoints.worker.tasks import load_task_modules, task_queues

        load_task_modules()
        tenants = await container.outbox_relay.backlog()
        queues = await container.queues.stats(task_queues())
        if as_json:
            print_json({"outbox": tenants, "queues": queues})
            return
        click.echo("outbox (unpublished events)")
        if not tenants:
            click.echo("  none")
        for row in tenants:
            age = f"oldest {row.age_seconds:.0f}s ago"
            click.echo(f"  {row.slug}\t{row.tenant_id}\t{row.unpublished}\t{age}")
        click.echo("queues\twaiting\tin-flight\tdelayed\tdead")
        for q in queues:
            click.echo(f"  {q.queue}\t{q.waiting}\t{q.in_flight}\t{q.delayed}\t{q.dead}")

    run(work)


@jobs.command("dead-letters")
@click.option("--queue", default=None, help="Only this queue (e.g. webhooks).")
@json_option
def dead_letters(queue: str | None, as_json: bool) -> None:
    """Messages that failed every retry: id, task, tenant, attempts, when, error type."""

    async def work(container: Container) -> None:
        letters = await container.queues.dead_letters(queue)
        if as_json:
            print_json(letters)
            return
        if not letters:
            click.echo("no dead letters")
        for letter in letters:
            click.echo(
                "\t".join(
                    [
                        letter.message_id,
                        letter.task,
                        letter.tenant_id or "-",
                        f"attempts={letter.attempts}",
                        letter.dead_at.astimezone(UTC).isoformat(timespec="seconds"),
                        letter.error or "-",
                    ]
                )
            )

    run(work)


@jobs.command()
@click.argument("message_ids", nargs=-1)
@click.option("--all", "retry_all", is_flag=True, help="Retry every dead letter.")
@click.option("--reason", required=True, help="Why (ticket number): kept in the audit log.")
def retry(message_ids: tuple[str, ...], retry_all: bool, reason: str) -> None:
    """Re-enqueue dead-lettered messages with a fresh retry budget."""
    if bool(message_ids) == retry_all:
        raise click.UsageError("name MESSAGE_ID... or --all (not both)")

    async def work(container: Container) -> int:
        ctx = system_context(reason)
        wanted = set(message_ids)
        letters = [
            letter
            for letter in await container.queues.dead_letters()
            if retry_all or letter.message_id in wanted
        ]
        missing = wanted - {letter.message_id for letter in letters}
        for message_id in sorted(missing):
            click.echo(f"error: no dead letter {message_id}", err=True)
        if not letters:
            return 2 if missing else 0
        # Recorded before acting: the audit names what the operator asked for.
        async with container.uow_factory.for_system(ctx, None) as uow:
            for letter in letters:
                await uow.operator_audit.record(
                    ctx,
                    "jobs.retry",
                    _tenant(letter.tenant_id),
                    {
                        "message_id": letter.message_id,
                        "task": letter.task,
                        "queue": letter.queue,
                        "at": datetime.now(UTC).isoformat(),
                    },
                )
            await uow.commit()
        retried = await container.queues.retry({letter.message_id for letter in letters})
        for letter in retried:
            click.echo(f"retried\t{letter.message_id}\t{letter.task}")
        return 2 if missing else 0

    code = run(work)
    if code:
        raise SystemExit(code)


def _moment(_: click.Context, __: click.Parameter, value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@jobs.command()
@click.option(
    "--since",
    required=True,
    callback=_moment,
    help="ISO 8601 time (UTC unless it says otherwise): events published from then on.",
)
@click.option("--reason", required=True, help="Why (ticket number): kept in the audit log.")
def redrive(since: datetime, reason: str) -> None:
    """Publish the outbox again from a time on, after Redis lost its messages."""

    async def work(container: Container) -> None:
        ctx = system_context(reason)
        async with container.uow_factory.for_system(ctx, None) as uow:
            detail = {"since": since.isoformat(), "at": datetime.now(UTC).isoformat()}
            await uow.operator_audit.record(ctx, "jobs.redrive", None, detail)
            await uow.commit()
        count = await container.outbox_relay.redrive(since)
        click.echo(f"re-driven\t{count} events published since {since.isoformat()}")

    run(work)


def _tenant(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None
