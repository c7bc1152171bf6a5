"""The gateway to the simulated carrier (LOG-1, LOG-2): ``CarrierGateway`` over HTTP with
httpx and the retries of ``adapters/simulation/client.py`` (``CarrierUnavailable`` once
they are used up); a 4xx the carrier answers is ``CarrierRefused`` with its reason."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from typing import Any

import httpx

from adapters.simulation.client import Retrying
from application.logistics.ports import (
    Booking,
    BookingRequest,
    CarrierRefused,
    CarrierUnavailable,
    Interception,
    Label,
    TrackingEvent,
    TrackingPage,
)


class SimulatedCarrierGateway:
    def __init__(
        self,
        base_url: str,
        *,
        attempts: int = 5,
        backoff: float = 0.05,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._http = Retrying(base_url, attempts, backoff, sleep=sleep)

    @property
    def retries(self) -> int:
        return self._http.retries

    async def _call(self, carrier: str, method: str, path: str, **kwargs: Any) -> Any:
        try:
            return await self._http.call(
                partial(CarrierUnavailable, carrier), method, path, **kwargs
            )
        except httpx.HTTPStatusError as error:
            answer = error.response
            reason = answer.json().get("error") if answer.content else None
            raise CarrierRefused(carrier, str(reason or answer.status_code)) from None

    async def book(self, carrier_code: str, request: BookingRequest) -> Booking:
        receiver = request.receiver
        body = {
            "reference": request.reference,
            "sender": request.sender,
            "receiver": {
                "name": receiver.name,
                "phone": receiver.phone,
                "province": receiver.province,
                "city": receiver.city,
                "district": receiver.district,
                "address": receiver.address,
            },
            "weightGrams": request.weight_grams,
            "packages": request.packages,
            "cashOnDelivery": str(request.cash_on_delivery)
            if request.cash_on_delivery is not None
            else None,
        }
        data = await self._call(
            carrier_code, "POST", f"/carriers/{carrier_code}/waybills", json=body
        )
        label = data["label"]
        return Booking(
            data["trackingNo"],
            Label(label["sortingCode"], label["route"], label["carrierCode"]),
        )

    async def cancel(self, carrier_code: str, tracking_no: str) -> None:
        await self._call(carrier_code, "DELETE", f"/carriers/{carrier_code}/waybills/{tracking_no}")

    async def intercept(self, carrier_code: str, tracking_no: str) -> Interception:
        path = f"/carriers/{carrier_code}/waybills/{tracking_no}/interception"
        data = await self._call(carrier_code, "POST", path)
        return Interception(bool(data["accepted"]), str(data["status"]))

    async def events(self, carrier_code: str, cursor: str | None) -> TrackingPage:
        params = {"cursor": cursor} if cursor else {}
        data = await self._call(
            carrier_code, "GET", f"/carriers/{carrier_code}/events", params=params
        )
        return TrackingPage(
            tuple(
                TrackingEvent(
                    e["trackingNo"],
                    e["status"],
                    e["location"],
                    datetime.fromisoformat(e["occurredAt"]),
                )
                for e in data["events"]
            ),
            str(data["cursor"]),
        )
