"""The connector to the simulated marketplace (ORD-9, CHN-2): ``ChannelConnector`` over
HTTP with httpx, the way a real platform's connector works, with the retries of
``adapters/simulation/client.py``: once they are used up a call raises
``ChannelUnavailable`` (the intake then leaves its sync point where it was); a 4xx or an
answer it cannot read raises ``ChannelRefused`` — httpx's own errors stay in here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any

import httpx

from adapters.channels.wire import platform_order
from adapters.simulation.client import Retrying
from application.orders.channels.ports import (
    ChannelRef,
    ChannelRefused,
    ChannelUnavailable,
    OrderPage,
)


class SimulatedMarketplaceConnector:
    def __init__(
        self,
        base_url: str,
        *,
        attempts: int = 5,
        backoff: float = 0.05,
        max_wait: float = 5.0,
        timeout: float = 10.0,
        page_size: int = 100,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._http = Retrying(base_url, attempts, backoff, max_wait, timeout, sleep)
        self._page_size = page_size  # the marketplace's largest page: fewer calls, transactions

    @property
    def retries(self) -> int:
        return self._http.retries

    async def _call(self, channel: ChannelRef, method: str, path: str, **kwargs: Any) -> Any:
        unavailable = partial(ChannelUnavailable, channel.code)
        try:
            return await self._http.call(unavailable, method, path, **kwargs)
        except httpx.HTTPStatusError as refused:
            answer = refused.response
            raise ChannelRefused(channel.code, answer.status_code, answer.text[:200]) from None
        except ValueError as unreadable:  # a body that is not JSON
            raise ChannelRefused(channel.code, 0, str(unreadable)[:200]) from None

    async def pull_orders(
        self,
        channel: ChannelRef,
        modified_since: datetime,
        modified_until: datetime,
        page_token: str | None = None,
    ) -> OrderPage:
        params = {
            "modifiedSince": modified_since.isoformat(),
            "modifiedUntil": modified_until.isoformat(),
            "pageSize": str(self._page_size),
        }
        if page_token:
            params["pageToken"] = page_token
        data = await self._call(channel, "GET", f"/shops/{channel.code}/orders", params=params)
        return OrderPage(
            orders=tuple(platform_order(o) for o in data["orders"]),
            next_page_token=data.get("nextPageToken"),
        )

    async def push_availability(
        self, channel: ChannelRef, quantities: Sequence[tuple[str, int]]
    ) -> None:
        items = [{"skuCode": code, "quantity": quantity} for code, quantity in quantities]
        await self._call(channel, "POST", f"/shops/{channel.code}/stock", json={"items": items})

    async def report_shipment(
        self,
        channel: ChannelRef,
        platform_order_id: str,
        sub_order_ids: Sequence[str],
        carrier: str,
        tracking_no: str,
    ) -> None:
        body = {"subOrderIds": list(sub_order_ids), "carrier": carrier, "trackingNo": tracking_no}
        await self._call(
            channel,
            "POST",
            f"/shops/{channel.code}/orders/{platform_order_id}/shipments",
            json=body,
        )

    async def report_refund(
        self, channel: ChannelRef, platform_order_id: str, refund_id: str, amount: Decimal
    ) -> None:
        body = {"refundId": refund_id, "amount": str(amount)}
        await self._call(
            channel, "POST", f"/shops/{channel.code}/orders/{platform_order_id}/refunds", json=body
        )
