"""``shopkeeper marketplace sim --port N`` (ORD-9, CHN-2): run the simulated marketplace
locally (its API and control API: ``adapters/channels/simulated/server.py``)."""

from __future__ import annotations

import click


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
