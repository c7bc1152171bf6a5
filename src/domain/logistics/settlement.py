"""Carrier settlement (ORD-11): a carrier's monthly statement matched to the waybill
register by tracking number, and its cash-on-delivery remittances reconciled against the
COD waybills.

A statement's differences, each on the line (row) it comes from:

- ``unknown_waybill``: a tracking number the company never booked with that carrier;
- ``overweight``: the billed weight above the weighed weight by more than the tenant's
  tolerance (percent);
- ``price_mismatch``: the billed amount is not the carrier's price table's postage for the
  billed weight and the waybill's region (or the table has no rate there);
- ``duplicate_line``: a tracking number billed twice in the statement;
- ``missing_from_bill`` (no row): a waybill booked with the carrier in the month, not
  cancelled, that the statement does not bill.

A remittance's differences, each on its line (row), counted from 1 as the merchant lists
them — as a statement's row is the file's row as a spreadsheet numbers it, the header
being row 1: ``unknown_waybill`` (not a COD waybill of the carrier),
``amount_mismatch`` (collected is not the amount to collect), ``already_remitted`` (in an
earlier remittance), ``not_delivered`` (a parcel not signed for, or cancelled: nothing was
collected on it), ``duplicate_line``, and ``missing_from_remittance`` (a delivered COD
waybill of the carrier no remittance has paid yet).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from domain.logistics.rates import PriceTable
from domain.logistics.waybill import Waybill
from domain.shared.file_rows import RowError


@dataclass(frozen=True)
class BillLine:
    row: int  # the file's row (the header is row 1)
    tracking_no: str
    weight_grams: int
    amount: Decimal


@dataclass(frozen=True)
class Difference:
    kind: str
    tracking_no: str
    row: int | None = None  # a statement's file row (header: 1) or a remittance's line (from 1)
    billed: str | None = None  # what the carrier says (weight in grams, or an amount)
    expected: str | None = None  # what the register or the price table says


def _seen_before(seen: set[str], tracking_no: str) -> bool:
    if tracking_no in seen:
        return True
    seen.add(tracking_no)
    return False


def reconcile_statement(
    lines: Sequence[BillLine],
    known: Mapping[str, Waybill],
    booked_in_month: Sequence[Waybill],
    table: PriceTable,
    tolerance_percent: Decimal,
) -> list[Difference]:
    """``known``: the carrier's registered waybills among the lines' tracking numbers."""
    found: list[Difference] = []
    seen: set[str] = set()
    for line in lines:
        number, row = line.tracking_no, line.row
        if _seen_before(seen, number):
            found.append(Difference("duplicate_line", number, row))
            continue
        waybill = known.get(number)
        if waybill is None:
            found.append(Difference("unknown_waybill", number, row))
            continue
        weighed = waybill.weight_grams
        if line.weight_grams * 100 > weighed * (100 + tolerance_percent):
            found.append(
                Difference("overweight", number, row, str(line.weight_grams), str(weighed))
            )
        price = table.postage(waybill.region, line.weight_grams)
        if price != line.amount:
            expected = str(price) if price is not None else None
            found.append(Difference("price_mismatch", number, row, str(line.amount), expected))
    found.extend(
        Difference("missing_from_bill", w.tracking_no, expected=str(w.weight_grams))
        for w in booked_in_month
        if w.tracking_no not in seen and not w.cancelled
    )
    return found


@dataclass(frozen=True)
class Remitted:
    tracking_no: str
    amount: Decimal


def reconcile_remittance(
    lines: Sequence[Remitted],
    known: Mapping[str, Waybill],
    outstanding: Sequence[Waybill],
) -> list[Difference]:
    """``known``: the carrier's registered waybills among the lines' tracking numbers;
    ``outstanding``: its delivered COD waybills no remittance has paid yet."""
    found: list[Difference] = []
    seen: set[str] = set()
    for row, line in enumerate(lines, start=1):
        number = line.tracking_no
        if _seen_before(seen, number):
            found.append(Difference("duplicate_line", number, row))
            continue
        waybill = known.get(number)
        if waybill is None or waybill.cash_on_delivery is None:
            found.append(Difference("unknown_waybill", number, row, str(line.amount)))
        elif waybill.cod_remittance_id is not None:
            found.append(Difference("already_remitted", number, row, str(line.amount)))
        elif waybill.cancelled or waybill.delivered_at is None:
            found.append(Difference("not_delivered", number, row, str(line.amount)))
        elif line.amount != waybill.cash_on_delivery:
            billed, expected = str(line.amount), str(waybill.cash_on_delivery)
            found.append(Difference("amount_mismatch", number, row, billed, expected))
    found.extend(
        Difference("missing_from_remittance", w.tracking_no, expected=str(w.cash_on_delivery))
        for w in outstanding
        if w.tracking_no not in seen
    )
    return found


RECONCILING, RECONCILED, FAILED = "reconciling", "reconciled", "failed"


@dataclass
class CarrierStatement:
    """An imported statement: its file, reconciled by a job into its differences."""

    id: UUID
    carrier_code: str
    month: str  # YYYY-MM, in the tenant's time zone
    file_name: str
    format: str
    content: bytes
    job_id: UUID
    created_by: str
    created_at: datetime
    status: str = RECONCILING
    lines: int = 0
    billed_total: Decimal = Decimal("0.00")
    differences: tuple[Difference, ...] = ()
    errors: tuple[RowError, ...] = ()
    version: int = 1


@dataclass(frozen=True)
class CodRemittance:
    """A carrier's cash-on-delivery remittance as recorded, with what it paid."""

    id: UUID
    carrier_code: str
    reference: str  # the carrier's own remittance number
    lines: tuple[Remitted, ...]
    total: Decimal
    matched: int  # the lines that paid a COD waybill in full
    differences: tuple[Difference, ...]
    created_by: str
    created_at: datetime
