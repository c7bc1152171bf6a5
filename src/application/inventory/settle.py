"""The end of every command that moved stock, said once: each channel's availability of the
touched SKUs announced (coalesced, CHN-1/CHN-2) and the thresholds of the touched levels
evaluated (one alert per crossing, INV-3)."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from application.inventory.alerts.evaluate import evaluate_alerts
from application.inventory.availability import announce_availability
from application.shared.use_case import Work
from domain.inventory.availability import ChannelSupply
from domain.inventory.warehouse import Warehouse


async def stock_moved(
    work: Work,
    levels: Iterable[tuple[UUID, UUID]],
    warehouses: list[Warehouse] | None = None,
    supplies: list[ChannelSupply] | None = None,
) -> None:
    """``levels``: the (SKU, warehouse) pairs the command moved; ``warehouses`` and
    ``supplies``: the ones it already loaded (announce_availability reads them otherwise)."""
    touched = set(levels)
    await announce_availability(work, {sku for sku, _ in touched}, warehouses, supplies)
    await evaluate_alerts(work, touched)
