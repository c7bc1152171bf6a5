"""The connectors by kind (ORD-9, CHN-2): ``simulated`` is the simulated marketplace; a
real platform's connector is another kind here."""

from __future__ import annotations

from adapters.channels.simulated.connector import SimulatedMarketplaceConnector
from application.orders.channels.ports import ChannelConnector

KINDS = ("simulated",)


class ConnectorsByKind:
    def connector(self, kind: str, endpoint: str) -> ChannelConnector:
        if kind == "simulated":
            return SimulatedMarketplaceConnector(endpoint)
        raise ValueError(f"no connector of kind {kind!r}")
