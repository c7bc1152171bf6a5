"""A simulated carrier that runs locally with a real one's wire behaviour (LOG-1, LOG-2).

The carrier API (what a gateway calls), per carrier code:

- ``POST /carriers/{code}/waybills`` ``{"reference", "sender", "receiver": {name, phone,
  province, city, district, address}, "weightGrams", "packages", "cashOnDelivery"}`` —
  books a waybill: ``201 {"trackingNo", "label": {"sortingCode", "route",
  "carrierCode"}}``. The same ``reference`` answers the same waybill (a retried booking
  books nothing twice). A missing field is 400.
- ``DELETE /carriers/{code}/waybills/{trackingNo}`` — cancels a waybill not picked up yet
  (409 once picked up; 404 unknown).
- ``POST /carriers/{code}/waybills/{trackingNo}/interception`` — after pick-up: ``{"accepted":
  true, "status": "intercepted"}`` while it is on its way (it then goes back: an
  ``intercepted`` and later a ``returned`` event), ``{"accepted": false, "status":
  "delivered"}`` once delivered; a waybill not picked up yet is cancelled instead (409).
- ``GET /carriers/{code}/events?cursor=`` — the tracking events after the cursor, oldest
  first, and the next cursor. Events are generated over time: a waybill is picked up
  ``step`` seconds after booking, then in transit, out for delivery and delivered a
  ``step`` apart (``POST /sim/clock {"advance": seconds}`` moves the simulated clock).

Every API call first meets the rate limit (per carrier) and the faults
(``adapters/simulation/faults.py``). The control API: ``GET /sim/carriers/{code}/waybills``,
``POST /sim/carriers/{code}/waybills/{trackingNo}/fate {"fate"}`` (a parcel that fails
delivery, is returned, lost, or stalls after pick-up: ``failed``, ``returned``, ``lost``,
``stalled``), ``POST /sim/clock``, ``GET /sim/calls``, ``POST /sim/faults``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Litestar, Response, delete, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, JSONBody

from adapters.simulation.faults import Faults, SimConfig, fault_routes

__all__ = ["CarrierConfig", "SimConfig", "create_app"]

JOURNEY = ("picked_up", "in_transit", "out_for_delivery", "delivered")
# A parcel's fate other than delivery (``POST /sim/carriers/{code}/waybills/{no}/fate``):
# its journey as it then goes.
FATES = {
    "failed": ("picked_up", "in_transit", "out_for_delivery", "failed"),
    "returned": ("picked_up", "in_transit", "returned"),
    "lost": ("picked_up", "in_transit", "lost"),
    "stalled": ("picked_up",),
}
_RECEIVER = ("name", "phone", "province", "city", "district", "address")


@dataclass
class CarrierConfig:
    faults: SimConfig = field(default_factory=SimConfig)
    step_seconds: float = 60.0  # between two events of a parcel's journey


@dataclass
class Waybill:
    tracking_no: str
    booking: dict[str, Any]
    label: dict[str, str]
    booked_at: datetime
    cancelled: bool = False
    intercepted_at: datetime | None = None
    fate: str | None = None  # one of FATES, or None: delivered

    def journey(self, step: timedelta) -> list[tuple[datetime, str]]:
        """Its events as they happen: the journey, cut short by an interception."""
        if self.cancelled:
            return []
        journey = FATES[self.fate] if self.fate else JOURNEY
        events = [(self.booked_at + step * (i + 1), s) for i, s in enumerate(journey)]
        if self.intercepted_at is None:
            return events
        events = [e for e in events if e[0] <= self.intercepted_at]
        back = [(self.intercepted_at, "intercepted"), (self.intercepted_at + step, "returned")]
        return [*events, *back]

    def where(self, status: str) -> str:
        """The sender's end of the route until the parcel nears the receiver."""
        sender, receiver = self.label["route"].split("→")
        return receiver if status in ("out_for_delivery", "delivered", "failed") else sender

    def status(self, now: datetime, step: timedelta) -> str:
        happened = [s for at, s in self.journey(step) if at <= now]
        return happened[-1] if happened else ("cancelled" if self.cancelled else "booked")


@dataclass
class Carrier:
    code: str
    waybills: dict[str, Waybill] = field(default_factory=dict)
    by_reference: dict[str, str] = field(default_factory=dict)

    def events(self, now: datetime, step: timedelta) -> list[dict[str, Any]]:
        """Every event that has happened, in time order (then tracking number)."""
        happened = sorted(
            (at, w.tracking_no, status)
            for w in self.waybills.values()
            for at, status in w.journey(step)
            if at <= now
        )
        return [
            {
                "trackingNo": number,
                "status": status,
                "location": self.waybills[number].where(status),
                "occurredAt": at.isoformat(),
            }
            for at, number, status in happened
        ]


@dataclass
class SimulatedCarriers:
    config: CarrierConfig
    faults: Faults
    carriers: dict[str, Carrier] = field(default_factory=dict)
    advanced: timedelta = timedelta()

    def carrier(self, code: str) -> Carrier:
        return self.carriers.setdefault(code, Carrier(code))

    def now(self) -> datetime:
        return datetime.now(UTC) + self.advanced

    @property
    def step(self) -> timedelta:
        return timedelta(seconds=self.config.step_seconds)

    def waybill(self, code: str, tracking_no: str) -> Waybill:
        found = self.carrier(code).waybills.get(tracking_no)
        if found is None:
            raise HTTPException(status_code=404, detail="no such waybill")
        return found


def _label(code: str, booking: dict[str, Any]) -> dict[str, str]:
    """大头笔 and route: the receiver's province and city decide them, as a carrier's
    sorting table would."""
    receiver = booking["receiver"]
    digest = hashlib.sha256(f"{receiver['province']}{receiver['city']}".encode()).hexdigest()
    sorting = f"{int(digest[:6], 16) % 900 + 100}-{int(digest[6:10], 16) % 90 + 10}"
    route = f"{booking['sender']}→{receiver['province']}{receiver['city']}"
    return {"sortingCode": sorting, "route": route, "carrierCode": code}


def _checked(data: dict[str, Any]) -> dict[str, Any]:
    receiver = data.get("receiver")
    if not isinstance(data.get("reference"), str) or not isinstance(data.get("sender"), str):
        raise HTTPException(status_code=400, detail="reference and sender are required")
    if not isinstance(receiver, dict) or any(not receiver.get(k) for k in _RECEIVER):
        raise HTTPException(status_code=400, detail=f"receiver needs {', '.join(_RECEIVER)}")
    weight = data.get("weightGrams")
    if not isinstance(weight, int) or weight <= 0:
        raise HTTPException(status_code=400, detail="weightGrams is a positive integer")
    return data


def _api(sim: SimulatedCarriers) -> list[Any]:
    @post("/carriers/{code:str}/waybills", sync_to_thread=False, status_code=201)
    def book(code: FromPath[str], data: JSONBody[dict[str, Any]]) -> Any:
        if (refused := sim.faults.gate(code, "book")) is not None:
            return refused
        booking = _checked(data)
        carrier = sim.carrier(code)
        number = carrier.by_reference.get(booking["reference"])
        if number is None:
            number = f"{code}{len(carrier.waybills) + 1:012d}"
            waybill = Waybill(number, booking, _label(code, booking), sim.now())
            carrier.waybills[number] = waybill
            carrier.by_reference[booking["reference"]] = number
        waybill = carrier.waybills[number]
        return {"trackingNo": number, "label": waybill.label}

    @delete("/carriers/{code:str}/waybills/{number:str}", sync_to_thread=False, status_code=200)
    def cancel(code: FromPath[str], number: FromPath[str]) -> Any:
        if (refused := sim.faults.gate(code, "cancel")) is not None:
            return refused
        waybill = sim.waybill(code, number)
        if waybill.status(sim.now(), sim.step) not in ("booked", "cancelled"):
            return Response({"error": "picked_up"}, status_code=409)
        waybill.cancelled = True
        return {"cancelled": True}

    @post(
        "/carriers/{code:str}/waybills/{number:str}/interception",
        sync_to_thread=False,
        status_code=200,
    )
    def intercept(code: FromPath[str], number: FromPath[str]) -> Any:
        if (refused := sim.faults.gate(code, "intercept")) is not None:
            return refused
        waybill = sim.waybill(code, number)
        status = waybill.status(sim.now(), sim.step)
        if status in ("booked", "cancelled"):
            return Response({"error": "not_picked_up"}, status_code=409)
        if status in ("delivered", "intercepted", "returned"):
            return {"accepted": status != "delivered", "status": status}
        waybill.intercepted_at = sim.now()
        return {"accepted": True, "status": "intercepted"}

    @get("/carriers/{code:str}/events", sync_to_thread=False)
    def events(code: FromPath[str], cursor: FromQuery[str | None] = None) -> Any:
        if (refused := sim.faults.gate(code, "events")) is not None:
            return refused
        happened = sim.carrier(code).events(sim.now(), sim.step)
        start = int(cursor) if cursor and cursor.isdigit() else 0
        return {"events": happened[start:], "cursor": str(len(happened))}

    return [book, cancel, intercept, events]


def _control(sim: SimulatedCarriers) -> list[Any]:
    @get("/sim/carriers/{code:str}/waybills", sync_to_thread=False)
    def waybills(code: FromPath[str]) -> Any:
        now, step = sim.now(), sim.step
        return {
            "waybills": [
                {**w.booking, "trackingNo": w.tracking_no, "status": w.status(now, step)}
                for w in sim.carrier(code).waybills.values()
            ]
        }

    @post("/sim/carriers/{code:str}/waybills/{number:str}/fate", sync_to_thread=False)
    def fate(code: FromPath[str], number: FromPath[str], data: JSONBody[dict[str, Any]]) -> Any:
        if data.get("fate") not in FATES:
            raise HTTPException(status_code=400, detail=f"fate is one of {', '.join(FATES)}")
        sim.waybill(code, number).fate = data["fate"]
        return {"fate": data["fate"]}

    @post("/sim/clock", sync_to_thread=False, status_code=200)
    def clock(data: JSONBody[dict[str, Any]]) -> Any:
        sim.advanced += timedelta(seconds=float(data.get("advance", 0)))
        return {"now": sim.now().isoformat()}

    return [waybills, fate, clock]


def create_app(config: CarrierConfig | None = None) -> Litestar:
    config = config or CarrierConfig()
    sim = SimulatedCarriers(config, Faults(config.faults))
    app = Litestar([*_api(sim), *_control(sim), *fault_routes(sim.faults)], openapi_config=None)
    app.state.carriers = sim
    return app
