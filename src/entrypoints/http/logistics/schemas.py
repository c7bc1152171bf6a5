"""Wire types for /api/v1/logistics (camelCase)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from domain.logistics.carrier import MAX_CODE, MAX_NAME
from entrypoints.http.limits import stated
from entrypoints.http.wire import PageOut, WireIn, WireOut


class CarrierIn(WireIn):
    code: Annotated[str, stated(max_length=MAX_CODE)]
    name: Annotated[str, stated(max_length=MAX_NAME)]
    cash_on_delivery: bool = False


class CarrierPatch(WireIn):
    name: Annotated[str, stated(max_length=MAX_NAME)]
    cash_on_delivery: bool
    active: bool


class CarrierOut(WireOut):
    id: UUID
    code: str
    name: str
    cash_on_delivery: bool
    active: bool
    connected: bool  # an operator connected its gateway: waybills can be booked
    version: int


class CarrierPageOut(PageOut[CarrierOut]):
    items: list[CarrierOut]
