"""The connector to the simulated marketplace (ORD-9, CHN-2): ``ChannelConnector`` over
HTTP with httpx, the way a real platform's connector works.

Retries: a 429 waits its ``Retry-After`` (seconds; capped at ``max_wait``), a 5xx or a
connection error waits ``backoff * 2**attempt``; after ``attempts`` tries the call raises
``ChannelUnavailable`` (the intake then leaves its sync point where it was). Other 4xx are
the connector's or the data's fault and raise at once (``httpx.HTTPStatusError``).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

import httpx

from adapters.channels.wire import platform_order
from application.orders.channels.ports import ChannelRef, ChannelUnavailable, OrderPage


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every call: building one loads the CA bundle (tens of ms a
    page under load; bench/orders_intake.py's profile)."""
    return httpx.create_ssl_context()


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
        self._base_url = base_url.rstrip("/")
        self._attempts = attempts
        self._backoff = backoff
        self._max_wait = max_wait
        self._timeout = timeout
        self._page_size = page_size  # the marketplace's largest page: fewer calls, transactions
        self._sleep = sleep
        self.retries = 0  # how many calls were tried again (for logs and tests)

    async def _call(self, channel: ChannelRef, method: str, path: str, **kwargs: Any) -> Any:
        status = 0
        async with httpx.AsyncClient(
            base_url=self._base_url, timeout=self._timeout, verify=_tls()
        ) as client:
            for attempt in range(self._attempts):
                if attempt:
                    self.retries += 1
                try:
                    response = await client.request(method, path, **kwargs)
                except httpx.TransportError:
                    status = 0
                    await self._sleep(self._backoff * 2**attempt)
                    continue
                status = response.status_code
                if status == 429:
                    await self._sleep(self._retry_after(response, attempt))
                    continue
                if status >= 500:
                    await self._sleep(self._backoff * 2**attempt)
                    continue
                response.raise_for_status()
                return response.json()
        raise ChannelUnavailable(channel.code, status, self._attempts)

    def _retry_after(self, response: httpx.Response, attempt: int) -> float:
        try:
            wait = float(response.headers.get("Retry-After", ""))
        except ValueError:
            wait = self._backoff * 2**attempt
        return min(max(wait, 0.0), self._max_wait)

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
