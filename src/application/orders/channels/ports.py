"""The sales-channel connector port (ORD-9, CHN-2).

A ``ChannelConnector`` talks to one marketplace's API for a channel (the catalog's sales
channel, ``code`` + ``platform``): it pulls the orders modified in a time window, page by
page; pushes the sellable quantity of channel SKU codes; and reports a shipment and an
after-sales refund back.

The wire shape of a platform order (what every connector maps its platform's answer to,
and what the simulated marketplace answers as JSON, camelCase):

- ``platformOrderId``: the platform's order id (unique per channel);
- ``subOrders``: one per line — ``subOrderId``, ``channelSkuCode``, ``quantity``,
  ``unitPrice`` (decimal string, to the fen), ``title``, and optionally the line's
  ``discount`` and ``tax`` (decimal strings);
- ``receiver``: ``name``, ``phone``, ``province``, ``city``, ``district``, ``address``,
  ``postalCode``;
- ``buyerMessage``: the buyer's message, or null;
- ``paidAmount``: decimal string, ``"0.00"`` when unpaid; ``paidAt``: ISO 8601, or null;
- ``refundStatus``: ``none``, ``requested`` or ``refunded``;
- ``modifiedAt``: ISO 8601 with offset — the pull window is on this;
- ``shippingFee``: decimal string;
- optional: ``currency`` (ISO 4217, default ``CNY``), ``discount`` (the platform's
  order-level discount, decimal string) and ``tax`` (decimal string) — shared over the
  lines by their value to the fen (largest remainder), the discount as ``platform``
  discount lines.

A page answers ``orders`` and ``nextPageToken`` (null on the last page). Windows are
half-open: ``modified_since <= modifiedAt < modified_until``.

Errors a connector raises, each a ``ChannelError`` (orders' published port): ``ChannelUnavailable``
once its retries on 429 and 5xx are used up — the intake leaves the sync point where it
was, so the next pull tries the same window — and ``ChannelRefused`` for any other answer
the platform gives instead (a 4xx, or a body it cannot read): no transport library's own
error leaves a connector.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from application.orders.ports import ChannelError
from application.shared.unit_of_work import StoreKey
from domain.shared.file_rows import RowError


class RefundStatus(StrEnum):
    NONE = "none"
    REQUESTED = "requested"
    REFUNDED = "refunded"


@dataclass(frozen=True)
class ChannelRef:
    """The channel a connector call is for: the catalog's sales channel."""

    channel_id: UUID
    code: str
    platform: str


@dataclass(frozen=True)
class PlatformReceiver:
    name: str
    phone: str
    province: str
    city: str
    district: str
    address: str
    postal_code: str | None = None


@dataclass(frozen=True)
class PlatformSubOrder:
    sub_order_id: str
    channel_sku_code: str
    quantity: int
    unit_price: Decimal
    title: str | None = None
    discount: Decimal = Decimal("0.00")  # the line's platform discount
    tax: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class PlatformOrder:
    platform_order_id: str
    sub_orders: tuple[PlatformSubOrder, ...]
    receiver: PlatformReceiver
    modified_at: datetime
    paid_amount: Decimal
    paid_at: datetime | None = None
    buyer_message: str | None = None
    refund_status: RefundStatus = RefundStatus.NONE
    shipping_fee: Decimal = Decimal("0.00")
    currency: str = "CNY"
    discount: Decimal = Decimal("0.00")
    tax: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class OrderPage:
    orders: tuple[PlatformOrder, ...]
    next_page_token: str | None


class ChannelUnavailable(ChannelError):
    """The platform kept refusing (429 or 5xx) after the connector's retries."""

    def __init__(self, channel: str, status: int, attempts: int) -> None:
        super().__init__(f"channel {channel}: HTTP {status} after {attempts} attempts")
        self.status = status
        self.attempts = attempts


class ChannelRefused(ChannelError):
    """The platform refused the call itself (a 4xx: an order or token it does not know),
    or answered what the connector cannot read (``status`` 0): trying again will not help."""

    def __init__(self, channel: str, status: int, reason: str) -> None:
        super().__init__(f"channel {channel}: refused (HTTP {status}): {reason}")
        self.status = status
        self.reason = reason


class ChannelConnector(Protocol):
    async def pull_orders(
        self,
        channel: ChannelRef,
        modified_since: datetime,
        modified_until: datetime,
        page_token: str | None = None,
    ) -> OrderPage:
        """One page of the orders modified in ``[modified_since, modified_until)``."""
        ...

    async def push_availability(
        self, channel: ChannelRef, quantities: Sequence[tuple[str, int]]
    ) -> None:
        """Sets the sellable quantity of each ``(channel SKU code, quantity)``."""
        ...

    async def report_shipment(
        self,
        channel: ChannelRef,
        platform_order_id: str,
        sub_order_ids: Sequence[str],
        carrier: str,
        tracking_no: str,
    ) -> None:
        """Tells the platform the sub-orders left with ``carrier`` under ``tracking_no``."""
        ...

    async def report_refund(
        self, channel: ChannelRef, platform_order_id: str, refund_id: str, amount: Decimal
    ) -> None:
        """Tells the platform the merchant refunded ``amount`` of the order (after-sales,
        ORD-6); the platform records a ``refund_id`` once."""
        ...


# -- what the intake keeps (uow.of(ORDER_CHANNELS)) ------------------------------------


@dataclass(frozen=True)
class SkuMapping:
    channel_id: UUID
    channel_sku_code: str
    sku_id: UUID


@dataclass(frozen=True)
class ConnectorSetting:
    """A channel's connector and its sync point: pulled up to ``synced_until``; while a
    window spans pages, ``window_until`` and the next ``page_token``."""

    channel: ChannelRef
    kind: str
    endpoint: str
    synced_until: datetime
    window_until: datetime | None = None
    page_token: str | None = None


@dataclass(frozen=True)
class WaitingOrder:
    """An order placed with some channel SKU codes unmapped (abnormal ``sku_not_mapped``):
    the sub-orders it could not place and what the platform says was paid (its payment is
    recorded once every line is there)."""

    order_id: UUID
    channel_id: UUID
    platform_order_id: str
    codes: tuple[str, ...]
    sub_orders: tuple[PlatformSubOrder, ...]
    paid_amount: Decimal
    paid_at: datetime | None


class ChannelStore(Protocol):
    async def set_mapping(self, mapping: SkuMapping, at: datetime) -> None: ...

    async def mappings(self, channel_id: UUID) -> list[SkuMapping]: ...

    async def skus_of(self, channel_id: UUID, codes: Sequence[str]) -> dict[str, UUID]:
        """The mapped SKU of each of ``codes`` that is mapped."""
        ...

    async def codes_of(self, sku_id: UUID) -> list[SkuMapping]:
        """The channel SKU codes mapped to ``sku_id`` on every channel."""
        ...

    async def set_connector(self, setting: ConnectorSetting, at: datetime) -> None: ...

    async def connector(self, channel_id: UUID) -> ConnectorSetting | None: ...

    async def lock_connector(self, channel_id: UUID) -> ConnectorSetting | None:
        """The channel's connector row, locked; None when another transaction holds it
        (``FOR UPDATE SKIP LOCKED``) or there is none."""
        ...

    async def advance(
        self,
        channel_id: UUID,
        synced_until: datetime,
        window_until: datetime | None,
        page_token: str | None,
        at: datetime,
    ) -> None: ...

    async def wait(self, waiting: WaitingOrder, at: datetime) -> None:
        """Keeps an order waiting for the mappings of its ``codes``."""
        ...

    async def waiting(self, channel_id: UUID, code: str) -> list[WaitingOrder]:
        """The orders of the channel waiting for ``code``, locked (``FOR UPDATE``)."""
        ...

    async def stop_waiting(self, order_id: UUID) -> None: ...


# -- order files (CSV in Shopify's export layout, the JSON format) ------------------------


@dataclass
class OrderImportRecord:
    """An uploaded order file between upload, check (the dry run) and commit."""

    id: UUID
    channel_id: UUID
    file_name: str
    format: str
    content: bytes
    status: str
    check_job_id: UUID
    created_by: str
    created_at: datetime
    updated_at: datetime
    errors: list[RowError]
    counts: dict[str, int]
    commit_job_id: UUID | None = None
    valid_only: bool | None = None
    version: int = 1


class OrderImportRepository(Protocol):
    async def add(self, record: OrderImportRecord) -> None: ...

    async def get(
        self, import_id: UUID, *, for_update: bool = False, with_content: bool = False
    ) -> OrderImportRecord | None: ...

    async def save(self, record: OrderImportRecord) -> None: ...


@dataclass(frozen=True)
class FileOrder:
    """One platform order read from a file: the row it starts on (a CSV's row number, a
    JSON order's position from 1), and the file's column of each field the domain may
    refuse (``receiver.phone`` → ``Shipping Phone``), for the row report."""

    row: int
    order: PlatformOrder
    columns: Mapping[str, str]
    line_rows: tuple[int, ...]  # the row of each sub-order


class OrderFiles(Protocol):
    """Reads an order file into platform orders (the port's wire shape) and the errors
    of its rows; a file that cannot be read at all is one error on row 1."""

    def read(
        self, content: bytes, file_format: str, now: datetime
    ) -> tuple[list[FileOrder], list[RowError]]: ...


class ChannelStoreHolder(Protocol):
    channels: ChannelStore
    imports: OrderImportRepository


ORDER_CHANNELS: StoreKey[ChannelStoreHolder] = StoreKey("order_channels")


class Connectors(Protocol):
    """The connector of a kind at an endpoint (``simulated``: the simulated marketplace)."""

    def connector(self, kind: str, endpoint: str) -> ChannelConnector: ...


class ConnectedChannels(Protocol):
    """Across tenants (the platform role): every channel with a connector."""

    async def all(self) -> list[tuple[UUID, UUID]]:
        """(tenant id, channel id) pairs."""
        ...
