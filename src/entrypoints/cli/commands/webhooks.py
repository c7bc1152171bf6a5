"""``shopkeeper webhooks ...``: support staff list, inspect and replay a tenant's webhook
deliveries (CHN-3). Each command runs as the platform role under the operator's name and
is recorded in the operator audit (a replay also in the tenant's audit)."""

from __future__ import annotations

import uuid

import click

from application.webhooks.deliveries import delivery_filter
from application.webhooks.service import WebhookService
from domain.webhooks.delivery import DeliveryStatus, WebhookDelivery
from entrypoints.cli.runtime import json_option, print_json, run_with, system_context


def _when(value: object) -> str:
    return "-" if value is None else str(value)


def _line(d: WebhookDelivery) -> str:
    code = d.last_status_code if d.last_status_code is not None else "-"
    return "\t".join(
        [
            str(d.id),
            d.status.value,
            d.event_type,
            str(d.endpoint_id),
            f"series {d.series} attempt {d.attempts}",
            f"last {code} {d.last_error or ''}".rstrip(),
            _when(d.next_attempt_at),
        ]
    )


@click.group()
def webhooks() -> None:
    """Inspect and replay a tenant's webhook deliveries."""


@webhooks.command("deliveries")
@click.option("--tenant", "slug", required=True, help="The tenant's slug.")
@click.option("--status", type=click.Choice([s.value for s in DeliveryStatus]))
@click.option("--endpoint", "endpoint_id", type=click.UUID, help="Only this endpoint's.")
@click.option("--limit", type=click.IntRange(1, 200), default=50, show_default=True)
@click.option("--cursor", help="Continue after the page that printed this cursor.")
@click.option("--reason", default="support: webhook deliveries", show_default=True)
@json_option
def deliveries(
    slug: str,
    status: str | None,
    endpoint_id: uuid.UUID | None,
    limit: int,
    cursor: str | None,
    reason: str,
    as_json: bool,
) -> None:
    """Newest first: id, status, event type, endpoint, attempts, last outcome, next try."""

    page = run_with(
        WebhookService,
        lambda w: w.support.list(
            system_context(reason), slug, delivery_filter(status, endpoint_id), cursor, limit
        ),
    )
    if as_json:
        print_json({"items": page.items, "nextCursor": page.next_cursor})
        return
    for delivery in page.items:
        click.echo(_line(delivery))
    if page.next_cursor:
        click.echo(f"next page: --cursor {page.next_cursor}", err=True)


@webhooks.command("show")
@click.option("--tenant", "slug", required=True)
@click.argument("delivery_id", type=click.UUID)
@click.option("--reason", default="support: webhook delivery", show_default=True)
@json_option
def show(slug: str, delivery_id: uuid.UUID, reason: str, as_json: bool) -> None:
    """One delivery and its attempts (status code, error, duration; never a body)."""

    detail = run_with(
        WebhookService, lambda w: w.support.get(system_context(reason), slug, delivery_id)
    )
    if as_json:
        print_json(detail)
        return
    click.echo(_line(detail.delivery))
    click.echo(f"webhook-id: {detail.delivery.webhook_id}")
    for a in detail.attempts:
        outcome = "ok" if a.succeeded else (a.error or "failed")
        code = a.status_code if a.status_code is not None else "-"
        click.echo(
            f"  {a.attempted_at}\tseries {a.series} attempt {a.attempt}\t{code}\t"
            f"{a.duration_ms} ms\t{outcome}"
        )


@webhooks.command("replay")
@click.option("--tenant", "slug", required=True)
@click.argument("delivery_id", type=click.UUID)
@click.option("--reason", default="support: webhook replay", show_default=True)
def replay(slug: str, delivery_id: uuid.UUID, reason: str) -> None:
    """Send a succeeded or dead delivery again (same webhook-id, new series of attempts)."""

    delivery = run_with(
        WebhookService, lambda w: w.support.replay(system_context(reason), slug, delivery_id)
    )
    click.echo(f"replaying {delivery.id} (series {delivery.series}, {delivery.webhook_id})")
