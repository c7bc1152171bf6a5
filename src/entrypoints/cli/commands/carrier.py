"""``shopkeeper carrier …`` (LOG-1): carriers' gateways.

- ``sim --port N``: run the simulated carrier locally (its API and control API:
  ``adapters/carriers/simulated/server.py``).
- ``connect --tenant SLUG --carrier ID --endpoint URL``: give a carrier its gateway
  (operators only: the server calls the endpoint, so a tenant never sets it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

import click

from application.logistics.carriers import ConnectCarrier
from domain.logistics.carrier import Carrier
from entrypoints.cli.runtime import run, support_call

if TYPE_CHECKING:
    from bootstrap import Container  # imported when a command runs (runtime.run)


@click.group()
def carrier() -> None:
    """A simulated carrier, and carriers' gateways."""


@carrier.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8766, show_default=True, type=int)
@click.option("--step", type=float, default=60.0, show_default=True, help="Seconds between events.")
@click.option("--rate-limit", type=float, default=None, help="Calls a second per carrier (429).")
@click.option(
    "--error-rate", type=float, default=0.0, show_default=True, help="Share of calls answering 503."
)
@click.option("--seed", type=int, default=None)
def sim(
    host: str, port: int, step: float, rate_limit: float | None, error_rate: float, seed: int | None
) -> None:
    """Run the simulated carrier."""
    import uvicorn

    from adapters.carriers.simulated.server import CarrierConfig, SimConfig, create_app

    faults = SimConfig(rate_limit=rate_limit, error_rate=error_rate, seed=seed)
    app = create_app(CarrierConfig(faults, step_seconds=step))
    uvicorn.run(app, host=host, port=port, log_level="warning")


@carrier.command()
@click.option("--tenant", "slug", required=True, help="The tenant's slug.")
@click.option("--carrier", "carrier_id", required=True, type=click.UUID, help="The carrier's id.")
@click.option("--endpoint", required=True, help="The carrier's base URL.")
@click.option("--kind", default="simulated", show_default=True)
@click.option("--reason", default="support: carrier gateway", show_default=True)
def connect(slug: str, carrier_id: UUID, endpoint: str, kind: str, reason: str) -> None:
    """Give a carrier its gateway (an operator's choice: the server calls its endpoint)."""

    async def work(c: Container) -> Carrier:
        call = await support_call(
            c, reason, slug, "logistics.carrier_connect", {"endpoint": endpoint}
        )
        return await c.use_cases.run(call, ConnectCarrier(carrier_id, kind, endpoint))

    connected = run(work)
    click.echo(f"{slug}: carrier {connected.code} books through {connected.endpoint}")
