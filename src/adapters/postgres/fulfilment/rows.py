"""A wave's and a shipment's lines to and from their JSONB column."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any, TypeVar
from uuid import UUID

from domain.fulfilment.shipment import ShipmentLine
from domain.fulfilment.wave import WaveLine

L = TypeVar("L", WaveLine, ShipmentLine)
_IDS = frozenset({"sku_id", "line_id"})


def lines_json(lines: list[L]) -> list[dict[str, Any]]:
    return [
        {
            k: str(v) if k in _IDS else list(v) if isinstance(v, tuple) else v
            for k, v in asdict(line).items()
        }
        for line in lines
    ]


def lines_of(kind: type[L], data: list[dict[str, Any]]) -> list[L]:
    names = {f.name for f in fields(kind)}
    read: list[dict[str, Any]] = [
        {
            k: UUID(v) if k in _IDS else tuple(v) if isinstance(v, list) else v
            for k, v in item.items()
            if k in names
        }
        for item in data
    ]
    return [kind(**values) for values in read]
