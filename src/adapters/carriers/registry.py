"""The carrier gateways by kind (LOG-1): ``simulated`` is the simulated carrier; a real
carrier's gateway is another kind here (and in ``application/logistics/carriers.KINDS``)."""

from __future__ import annotations

from adapters.carriers.simulated.gateway import SimulatedCarrierGateway
from application.logistics.ports import CarrierGateway


class GatewaysByKind:
    def gateway(self, kind: str, endpoint: str) -> CarrierGateway:
        if kind == "simulated":
            return SimulatedCarrierGateway(endpoint)
        raise ValueError(f"no carrier gateway of kind {kind!r}")
