"""Count sessions (INV-4) and transfers (INV-5) in the domain: states and their order,
what a variance and its value are, what a receipt moves, and the refusals."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.inventory import stock
from domain.inventory.count import (
    CountKind,
    CountLine,
    CountSession,
    CountStatus,
    line_value,
)
from domain.inventory.stock import Deltas
from domain.inventory.transfer import (
    ReceivedLine,
    Transfer,
    TransferReceipt,
    TransferStatus,
    by_batches,
    by_serials,
    shipped_in,
    shipped_out,
)
from domain.shared.errors import Conflict, ValidationFailed

NOW = datetime(2026, 12, 6, 10, tzinfo=UTC)
W1, W2 = uuid.uuid4(), uuid.uuid4()
A, B = uuid.uuid4(), uuid.uuid4()


def session(kind: CountKind = CountKind.CYCLE) -> CountSession:
    skus = (A, B) if kind is CountKind.CYCLE else ()
    return CountSession.create(uuid.uuid4(), W1, kind, skus, (), " 年末盘点 ", "user:1", NOW)


def codes(error: ValidationFailed) -> list[str]:
    return [e.code for e in error.errors]


def test_a_count_goes_open_counting_submitted_posted_and_says_so_in_events() -> None:
    """INV-4: the states in order, a version per step, an event per step."""
    s = session()
    assert (s.status, s.version, s.note) == (CountStatus.OPEN, 1, "年末盘点")
    s.start(NOW)
    with pytest.raises(Conflict) as uncounted:
        s.submit(1, "user:1", NOW)
    assert uncounted.value.code == "count_lines_uncounted"
    assert uncounted.value.params == {"uncounted": 1}
    s.submit(0, "user:1", NOW)
    s.post("user:2", NOW)
    assert (s.status, s.version, s.submitted_by, s.posted_by) == (
        CountStatus.POSTED,
        4,
        "user:1",
        "user:2",
    )
    assert [e.event_type for e in s.pull_events()] == [
        "inventory.count_created",
        "inventory.count_started",
        "inventory.count_submitted",
        "inventory.count_posted",
    ]


def test_a_count_posts_once_and_steps_out_of_order_are_refused() -> None:
    s = session()
    with pytest.raises(Conflict) as early:
        s.post("user:2", NOW)  # not submitted yet
    assert early.value.code == "count_not_in_state" and early.value.params == {"status": "open"}
    s.start(NOW)
    with pytest.raises(Conflict):
        s.start(NOW)
    s.submit(0, "user:1", NOW)
    s.post("user:2", NOW)
    with pytest.raises(Conflict):
        s.post("user:2", NOW)  # posted once
    with pytest.raises(Conflict):
        s.cancel(NOW)  # nor cancelled after posting


def test_a_count_is_cancelled_before_posting() -> None:
    s = session(CountKind.FULL)
    s.start(NOW)
    s.cancel(NOW)
    assert s.status is CountStatus.CANCELLED


def test_full_counts_name_no_scope_and_cycle_counts_need_one() -> None:
    with pytest.raises(ValidationFailed) as full:
        CountSession.create(uuid.uuid4(), W1, CountKind.FULL, (A,), (), None, "u", NOW)
    assert codes(full.value) == ["full_count_has_no_scope"]
    with pytest.raises(ValidationFailed) as cycle:
        CountSession.create(uuid.uuid4(), W1, CountKind.CYCLE, (), (), None, "u", NOW)
    assert codes(cycle.value) == ["cycle_count_needs_scope"]
    s = CountSession.create(uuid.uuid4(), W1, CountKind.CYCLE, (A, A, B), (), None, "u", NOW)
    assert s.sku_ids == (A, B)  # each SKU once


def test_a_variance_is_counted_minus_book_and_its_value_is_to_the_fen() -> None:
    assert CountLine(A).variance is None  # not counted yet
    assert CountLine(A, counted=8, book=10).variance == -2
    assert CountLine(A, counted=3, book=0).variance == 3
    assert line_value(-2, Decimal("2.5")) == Decimal("-5.00")
    assert line_value(3, Decimal("0.333333")) == Decimal("1.00")  # 0.999999 to the fen
    assert line_value(1, Decimal("0.005")) == Decimal("0.01")  # half up
    assert line_value(5, None) is None
    assert stock.count_variance(-2) == Deltas(on_hand=-2)
    with pytest.raises(ValidationFailed):
        stock.count_variance(0)


def transfer(*lines: tuple[uuid.UUID, int]) -> Transfer:
    return Transfer.request(uuid.uuid4(), W1, W2, list(lines), None, "user:1", NOW)


def receipt(t: Transfer, *lines: ReceivedLine) -> TransferReceipt:
    return TransferReceipt(uuid.uuid4(), t.id, lines, None, "user:3", NOW)


def test_a_transfer_ships_then_is_received_over_two_receipts() -> None:
    """INV-5: partial receipts; damaged and short quantities close in transit."""
    t = transfer((A, 6), (B, 4))
    t.ship({A: Decimal("3")}, "user:2", NOW)
    assert t.status is TransferStatus.SHIPPED
    assert [li.unit_cost for li in t.lines] == [Decimal("3"), None]
    t.receive(receipt(t, ReceivedLine(1, received=3)), NOW)
    assert t.status is TransferStatus.PARTIALLY_RECEIVED and t.line(1).outstanding == 3
    t.receive(
        receipt(t, ReceivedLine(1, received=1, damaged=1, short=1), ReceivedLine(2, received=4)),
        NOW,
    )
    assert t.status is TransferStatus.RECEIVED
    assert (t.line(1).received, t.line(1).damaged, t.line(1).short) == (4, 1, 1)
    assert len(t.receipts) == 2 and t.version == 4
    assert [e.event_type for e in t.pull_events()] == [
        "inventory.transfer_requested",
        "inventory.transfer_shipped",
        "inventory.transfer_received",
        "inventory.transfer_received",
    ]


def test_what_a_shipment_and_a_receipt_move() -> None:
    assert shipped_out(5) == Deltas(on_hand=-5)
    assert shipped_in(5) == Deltas(in_transit=5)
    got = ReceivedLine(1, received=2, damaged=1, short=1)
    assert got.deltas == Deltas(on_hand=2, non_sellable=1, in_transit=-4)
    assert ReceivedLine(1, short=2).deltas == Deltas(in_transit=-2)


def test_a_receipt_cannot_take_more_than_is_in_transit_or_name_a_line_twice() -> None:
    t = transfer((A, 2))
    with pytest.raises(Conflict):
        t.receive(receipt(t, ReceivedLine(1, received=1)), NOW)  # not shipped yet
    t.ship({}, "user:2", NOW)
    with pytest.raises(Conflict) as over:
        t.receive(receipt(t, ReceivedLine(1, received=2, short=1)), NOW)
    assert over.value.code == "transfer_over_received"
    assert over.value.params == {"line": 1, "outstanding": 2, "given": 3}
    for bad, code in (
        (ReceivedLine(2, received=1), "unknown_line"),
        (ReceivedLine(1), "must_be_positive"),
        (ReceivedLine(1, received=-1, damaged=2), "must_not_be_negative"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            t.receive(receipt(t, bad), NOW)
        assert codes(refused.value) == [code]
    with pytest.raises(ValidationFailed) as twice:
        t.receive(receipt(t, ReceivedLine(1, received=1), ReceivedLine(1, short=1)), NOW)
    assert codes(twice.value) == ["duplicate_line"]
    assert t.line(1).outstanding == 2  # nothing taken by the refused receipts


def test_a_transfer_request_is_checked_and_cancelled_only_before_shipping() -> None:
    for lines, code in (
        ([], "required"),
        ([(A, 1), (A, 2)], "duplicate_sku"),
        ([(A, 0)], "must_be_positive"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            Transfer.request(uuid.uuid4(), W1, W2, lines, None, "u", NOW)
        assert codes(refused.value) == [code]
    with pytest.raises(ValidationFailed) as same:
        Transfer.request(uuid.uuid4(), W1, W1, [(A, 1)], None, "u", NOW)
    assert codes(same.value) == ["same_as_source"]
    t = transfer((A, 1))
    t.cancel(NOW)
    assert t.status is TransferStatus.CANCELLED
    shipped = transfer((A, 1))
    shipped.ship({}, "u", NOW)
    with pytest.raises(Conflict) as late:
        shipped.cancel(NOW)
    assert late.value.params == {"status": "shipped"}


A, B, C = (uuid.UUID(int=n) for n in (1, 2, 3))


def test_a_receipt_split_over_batches_in_shipping_order() -> None:
    """INV-8: sound units first, then damaged, then short, each batch giving what it has."""
    got = ReceivedLine(1, received=4, damaged=1, short=1)
    assert by_batches([(A, 3), (B, 2), (C, 1)], got) == [
        (A, ReceivedLine(1, received=3)),
        (B, ReceivedLine(1, received=1, damaged=1)),
        (C, ReceivedLine(1, short=1)),
    ]


def test_named_damaged_and_short_units_stay_in_their_batches() -> None:
    """INV-8: the receipt names a damaged unit in C and a short one in A; the sound units
    fill the rest in shipping order."""
    got = ReceivedLine(1, received=4, damaged=1, short=1)
    assert by_batches([(A, 3), (B, 2), (C, 1)], got, {C: (1, 0), A: (0, 1)}) == [
        (A, ReceivedLine(1, received=2, short=1)),
        (B, ReceivedLine(1, received=2)),
        (C, ReceivedLine(1, damaged=1)),
    ]
    with pytest.raises(Conflict) as over:
        by_batches([(A, 3), (B, 2)], ReceivedLine(1, damaged=3), {B: (3, 0)})
    assert over.value.code == "transfer_over_received"
    with pytest.raises(ValidationFailed) as differ:
        by_batches([(A, 3), (B, 2)], ReceivedLine(1, damaged=1), {A: (2, 0)})
    assert differ.value.errors[0].code == "batch_counts_differ"


def test_serials_decide_a_receipts_batches() -> None:
    """INV-8: per batch the units of each kind and the serials they carry."""
    where = {"S1": A, "S2": B, "S3": A, "S4": None}
    kinds = {"received": ["S1", "S2"], "damaged": ["S3"], "short": ["S4"]}
    assert by_serials(1, where, kinds) == [
        (A, ReceivedLine(1, received=1, damaged=1), ["S1", "S3"]),
        (B, ReceivedLine(1, received=1), ["S2"]),
        (None, ReceivedLine(1, short=1), ["S4"]),
    ]
