"""Carriers (LOG-3): create, change (name, cash on delivery, active), read; the gateway
connection is an operator's (``shopkeeper carrier connect``: the server calls its
endpoint, so a tenant never sets it)."""

from __future__ import annotations

from uuid import UUID

from application.logistics.ports import LOGISTICS
from application.shared.reads import ById, InIdOrder
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.logistics.carrier import ENTITY, Carrier
from domain.logistics.permissions import LOGISTICS_READ, LOGISTICS_WRITE
from domain.shared.errors import NotFound, ValidationFailed

PAGE = 500
KINDS = ("simulated",)  # the gateways an operator may connect (adapters/carriers)


async def load_carrier(uow: UnitOfWork, carrier_id: UUID) -> Carrier:
    carrier = await uow.of(LOGISTICS).carriers.get(carrier_id)
    if carrier is None:
        raise NotFound(entity=ENTITY)
    return carrier


async def carrier_by_code(uow: UnitOfWork, code: str) -> Carrier:
    carrier = await uow.of(LOGISTICS).carriers.by_code(code.strip().upper())
    if carrier is None:
        raise NotFound(entity=ENTITY)
    return carrier


async def all_carriers(uow: UnitOfWork) -> list[Carrier]:
    """Every carrier of the tenant, in id order (a tenant has a handful)."""
    carriers, found, after = uow.of(LOGISTICS).carriers, [], None
    while page := await carriers.page(after, PAGE):
        found.extend(page)
        after = page[-1].id
    return found


class GetCarrier(ById[Carrier], entity=ENTITY, permission=LOGISTICS_READ):
    pass


class ListCarriers(InIdOrder[Carrier], entity=ENTITY, permission=LOGISTICS_READ):
    pass


class CreateCarrier(
    Command[Carrier], action="carrier.create", entity=ENTITY, permission=LOGISTICS_WRITE
):
    code: str
    name: str
    cash_on_delivery: bool = False


class ReviseCarrier(
    Command[Carrier], action="carrier.update", entity=ENTITY, permission=LOGISTICS_WRITE
):
    carrier_id: UUID
    name: str
    cash_on_delivery: bool
    active: bool
    expected_version: int | None


class ConnectCarrier(
    Command[Carrier], action="carrier.connect", entity=ENTITY, permission=LOGISTICS_WRITE
):
    carrier_id: UUID
    kind: str
    endpoint: str


class CreateCarrierHandler:
    async def handle(self, command: CreateCarrier, work: Work) -> Carrier:
        carrier = Carrier.create(
            work.ids.new_id(),
            command.code,
            command.name,
            command.cash_on_delivery,
            work.clock.now(),
        )
        await work.uow.of(LOGISTICS).carriers.add(carrier)
        work.audit(carrier.id, {}, carrier.snapshot())
        work.publish(carrier)
        return carrier


class ReviseCarrierHandler:
    async def handle(self, command: ReviseCarrier, work: Work) -> Carrier:
        carrier = await load_carrier(work.uow, command.carrier_id)
        check_version(command.expected_version, carrier.version)
        before, read_version = carrier.snapshot(), carrier.version
        now = work.clock.now()
        if carrier.revise(command.name, command.cash_on_delivery, command.active, now):
            await work.uow.of(LOGISTICS).carriers.save(carrier, read_version)
            work.audit(carrier.id, before, carrier.snapshot())
            work.publish(carrier)
        return carrier


class ConnectCarrierHandler:
    async def handle(self, command: ConnectCarrier, work: Work) -> Carrier:
        if command.kind not in KINDS:
            raise ValidationFailed.single("kind", "unknown_gateway_kind", kinds=list(KINDS))
        carrier = await load_carrier(work.uow, command.carrier_id)
        before, read_version = carrier.snapshot(), carrier.version
        carrier.connect(command.kind, command.endpoint, work.clock.now())
        await work.uow.of(LOGISTICS).carriers.save(carrier, read_version)
        work.audit(carrier.id, before, carrier.snapshot(), detail={"endpoint": command.endpoint})
        work.publish(carrier)
        return carrier
