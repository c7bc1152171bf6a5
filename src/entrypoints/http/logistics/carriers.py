"""/api/v1/logistics/carriers (LOG-3)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.params import FromPath, JSONBody

from application.logistics.carriers import CreateCarrier, GetCarrier, ListCarriers, ReviseCarrier
from domain.logistics.carrier import Carrier
from entrypoints.http.conventions import Cursor, Limit, Rendered, etagged
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
from entrypoints.http.logistics.schemas import CarrierIn, CarrierOut, CarrierPageOut, CarrierPatch
from entrypoints.http.permissions import needs

PATH = "/api/v1/logistics"


def carrier_out(carrier: Carrier) -> CarrierOut:
    return CarrierOut.of(carrier, connected=carrier.endpoint is not None)


class CarriersController(Controller):
    path = "/carriers"

    @get("/", opt=needs(ListCarriers))
    async def list_carriers(
        self, ctx: Context, use_cases: Dispatch, cursor: Cursor = None, limit: Limit = None
    ) -> CarrierPageOut:
        """The company's carriers."""
        page = await use_cases.query(ctx, ListCarriers.window(cursor, limit))
        return CarrierPageOut.of_page(page, carrier_out)

    @post("/", opt=needs(CreateCarrier))
    async def create_carrier(
        self, ctx: Context, use_cases: Dispatch, idempotency: Idempotent, data: JSONBody[CarrierIn]
    ) -> Response[CarrierOut]:
        """Add a carrier (its code unique in the company)."""
        command = data.to(CreateCarrier)
        return await idempotency.created(
            lambda: use_cases.run(ctx, command),
            lambda c: Rendered(carrier_out(c), f"{PATH}/carriers/{c.id}", c.version),
        )

    @get("/{carrier_id:uuid}", opt=needs(GetCarrier))
    async def get_carrier(
        self, ctx: Context, use_cases: Dispatch, carrier_id: FromPath[UUID]
    ) -> Response[CarrierOut]:
        """One carrier."""
        return etagged(carrier_out, await use_cases.query(ctx, GetCarrier(carrier_id)))

    @patch("/{carrier_id:uuid}", opt=needs(ReviseCarrier))
    async def revise_carrier(
        self,
        ctx: Context,
        use_cases: Dispatch,
        carrier_id: FromPath[UUID],
        data: JSONBody[CarrierPatch],
        expected_version: ExpectedVersion,
    ) -> Response[CarrierOut]:
        """Change a carrier's name, cash on delivery, or deactivate it (If-Match)."""
        command = data.to(ReviseCarrier, carrier_id=carrier_id, expected_version=expected_version)
        return etagged(carrier_out, await use_cases.run(ctx, command))
