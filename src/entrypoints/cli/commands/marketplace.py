"""``shopkeeper marketplace …`` (ORD-9, CHN-2): sales channels' marketplaces.

- ``sim --port N``: run the simulated marketplace locally (its API and control API:
  ``adapters/channels/simulated/server.py``).
- ``connect --tenant SLUG --channel ID --endpoint URL [--since TIME]``: give a channel a
  connector (operators only: the server calls the endpoint, so a tenant never sets it).
- ``pull --tenant SLUG --channel ID``: pull the channel's orders now.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

import click

from application.orders.channels.intake import (
    ChannelIntake,
    ConfigureChannelConnector,
    Pulled,
)
from application.orders.channels.ports import ConnectorSetting
from entrypoints.cli.runtime import run, support_call

if TYPE_CHECKING:
    from bootstrap import Container  # imported when a command runs (runtime.run)


@click.group()
def marketplace() -> None:
    """A simulated marketplace for developing and testing channel connectors."""


@marketplace.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True, type=int)
@click.option("--rate-limit", type=float, default=None, help="Calls a second per shop (429 above).")
@click.option(
    "--error-rate", type=float, default=0.0, show_default=True, help="Share of calls answering 503."
)
@click.option("--seed", type=int, default=None)
def sim(
    host: str, port: int, rate_limit: float | None, error_rate: float, seed: int | None
) -> None:
    """Run the simulated marketplace."""
    import uvicorn

    from adapters.channels.simulated.server import SimConfig, create_app

    app = create_app(SimConfig(rate_limit=rate_limit, error_rate=error_rate, seed=seed))
    uvicorn.run(app, host=host, port=port, log_level="warning")


@marketplace.command()
@click.option("--tenant", "slug", required=True, help="The tenant's slug.")
@click.option("--channel", "channel_id", required=True, type=click.UUID, help="The channel's id.")
@click.option("--endpoint", required=True, help="The marketplace's base URL.")
@click.option("--kind", default="simulated", show_default=True)
@click.option("--since", default=None, help="Where pulls start, ISO 8601 with its offset.")
@click.option("--reason", default="support: channel connector", show_default=True)
def connect(
    slug: str, channel_id: UUID, endpoint: str, kind: str, since: str | None, reason: str
) -> None:
    """Give a channel a connector (an operator's choice: the server calls its endpoint)."""

    async def work(c: Container) -> ConnectorSetting:
        call = await support_call(c, reason, slug, "orders.channel_connect", {"endpoint": endpoint})
        start = datetime.fromisoformat(since) if since else None
        return await c.use_cases.run(
            call, ConfigureChannelConnector(channel_id, kind, endpoint, start)
        )

    setting = run(work)
    click.echo(
        f"{slug}: channel {setting.channel.code} pulls from {setting.endpoint}"
        f" since {setting.synced_until.isoformat()}"
    )


@marketplace.command()
@click.option("--tenant", "slug", required=True, help="The tenant's slug.")
@click.option("--channel", "channel_id", required=True, type=click.UUID, help="The channel's id.")
@click.option("--reason", default="support: channel pull", show_default=True)
def pull(slug: str, channel_id: UUID, reason: str) -> None:
    """Pull a channel's new and changed orders now (what the scheduler does every minute)."""

    async def work(c: Container) -> Pulled:
        call = await support_call(c, reason, slug, "orders.channel_pull", {})
        return await c.get(ChannelIntake).pull(call, channel_id)

    done = run(work)
    taken = done.taken
    click.echo(
        f"{slug}: {done.pages} page(s): {taken.placed} placed, {taken.repulled} already there,"
        f" {taken.updated} updated, {taken.unmapped} without a mapped code"
    )
