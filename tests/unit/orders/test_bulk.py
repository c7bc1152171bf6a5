"""Releasing an abnormal type on many orders at once (ORD-5, ORD-8), on the typed fakes:
``BulkOrders.apply(RESOLVE_ABNORMAL)`` runs the one-by-one release (``ResolveAbnormal``,
by a person) for each order in its own transaction, with a result per order — released
(the order back where it was, the person's reason on its timeline, audited, its event and
notice written) or refused with its code (the type not open, no such order, a version
conflict) and left as it was. Automatic types are released by hand too; the type and a
reason are required; a caller without ``orders:review`` is refused before any order."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from application.orders.bulk import BulkAction, BulkInput, BulkOrders
from application.orders.lifecycle import RecordPayment
from application.orders.placing import NewLine, NewOrder, PlaceOrder
from application.orders.review import SaveRuleSet
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.use_cases import UseCases
from domain.orders.abnormal import AbnormalType
from domain.orders.order import Order
from domain.orders.payment_records import PaymentMethod
from domain.orders.permissions import ORDERS_READ, ORDERS_WRITE
from domain.orders.status import OrderStatus
from domain.orders.values import Receiver, ShippingAddress
from domain.shared.errors import PermissionDenied, StaleVersion, ValidationFailed
from tests.unit.orders.test_use_cases import CTX, RECEIVER, TENANT, Shop, make_shop

MESSAGE = AbnormalType.MESSAGE_TO_READ
RULES = [
    {
        "id": "read-message",
        "name": "留言待处理",
        "priority": 5,
        "conditions": [{"kind": "buyer_message_present"}],
        "actions": [{"kind": "mark_abnormal", "type": "message_to_read"}],
    }
]
# a person of customer service, as the console or the API signs one in
STAFF = CallContext(TENANT, Actor(ActorKind.USER, str(uuid.uuid4())), CTX.permissions)


async def _paid(shop: Shop, sku: uuid.UUID, message: str | None) -> Order:
    new = NewOrder((NewLine(sku, 1),), RECEIVER, buyer_message=message)
    placed = await shop.use_cases.run(CTX, PlaceOrder(new))
    paid = await shop.use_cases.run(CTX, RecordPayment(placed.id, PaymentMethod.CASH, placed.total))
    return paid.order


def _stored(shop: Shop, order_id: uuid.UUID) -> Order:
    return shop.db.tenant(TENANT).orders.orders[order_id].order


def _state(shop: Shop, order_id: uuid.UUID) -> tuple[object, ...]:
    """What a change would touch, as values (a later change makes new ones)."""
    order = _stored(shop, order_id)
    return order.version, order.status, order.abnormalities, order.timeline


async def _abnormal_shop() -> tuple[Shop, list[Order], Order]:
    """Two orders a rule marked ``message_to_read`` and one without a message."""
    shop = await make_shop()
    await shop.use_cases.run(CTX, SaveRuleSet(RULES, 0))
    sku = await shop.sku(9)
    marked = [await _paid(shop, sku, "周末送"), await _paid(shop, sku, "请开发票")]
    plain = await _paid(shop, sku, None)
    assert [o.status for o in marked] == [OrderStatus.ABNORMAL, OrderStatus.ABNORMAL]
    assert [[a.type for a in o.abnormalities] for o in marked] == [[MESSAGE], [MESSAGE]]
    assert plain.status is OrderStatus.AWAITING_REVIEW and not plain.abnormalities
    return shop, marked, plain


async def test_ord5_one_call_releases_the_type_on_many_orders_with_a_result_each() -> None:
    shop, (first, second), plain = await _abnormal_shop()
    bulk = BulkOrders(shop.use_cases)
    # approving an abnormal order is refused until the abnormality is released
    (refused,) = await bulk.apply(STAFF, BulkAction.APPROVE, [first.id])
    assert refused.code == "order_transition_refused"
    assert refused.params is not None and refused.params["guard"] == "release_first"
    plain_before = _state(shop, plain.id)
    audited, outbox, told = (
        len(shop.db.tenant(TENANT).audit),
        len(shop.db.tenant(TENANT).outbox),
        len(shop.notifier.sent),
    )
    missing = uuid.uuid4()

    results = await bulk.apply(
        STAFF,
        BulkAction.RESOLVE_ABNORMAL,
        [first.id, second.id, plain.id, missing],
        BulkInput(reason="已联系买家确认留言", abnormal_type=MESSAGE),
    )

    assert [(r.order_id, r.done) for r in results] == [
        (first.id, True),
        (second.id, True),
        (plain.id, False),
        (missing, False),
    ]
    for result, before in zip(results[:2], (first, second), strict=True):
        assert result.status == "awaiting_review" and result.version == before.version + 1
        assert result.code is None
        after = _stored(shop, before.id)
        assert after.status is OrderStatus.AWAITING_REVIEW and after.abnormalities == ()
        resolved, moved = after.timeline[-2:]
        assert resolved.kind == "abnormal_resolved" and resolved.reason == "已联系买家确认留言"
        assert resolved.actor == STAFF.actor.label and resolved.detail == {"type": MESSAGE}
        assert (moved.from_status, moved.to_status) == ("abnormal", "awaiting_review")
    # the order without the type open: refused with its code, left exactly as it was
    assert results[2].code == "order_abnormal_release_refused"
    assert results[2].params == {"type": "message_to_read", "reason": "not_open"}
    assert _state(shop, plain.id) == plain_before
    assert results[3].code == "not_found"

    tables = shop.db.tenant(TENANT)
    trail = [(e.action, e.entity_id, e.outcome) for _, e in tables.audit[audited:]]
    assert ("order.resolve_abnormal", first.id, "success") in trail
    assert ("order.resolve_abnormal", second.id, "success") in trail
    assert ("order.resolve_abnormal", plain.id, "success") not in trail
    assert all(who == STAFF.actor.label for who, _ in tables.audit[audited:])
    changed = [(e.event_type, e.entity_id, e.data) for e in tables.outbox[outbox:]]
    assert changed == [
        ("order.status_changed", o.id, {"from_status": "abnormal", "to_status": "awaiting_review"})
        for o in (first, second)
    ]
    assert [n.values["status"] for n in shop.notifier.sent[told:]] == ["awaiting_review"] * 2

    # released, the orders take the approval that was refused
    approved = await bulk.apply(STAFF, BulkAction.APPROVE, [first.id, second.id])
    assert [r.status for r in approved] == ["approved", "approved"]


async def test_ord5_a_person_releases_an_automatic_type_in_bulk_too() -> None:
    shop = await make_shop()
    sku = await shop.sku(5)
    partial = Receiver("王五", "13700001111", ShippingAddress("广东省", "广州市", "", ""))
    new = NewOrder((NewLine(sku, 1),), partial, cash_on_delivery=True)
    placed = await shop.use_cases.run(CTX, PlaceOrder(new))
    assert [a.type for a in placed.abnormalities] == [AbnormalType.ADDRESS_INCOMPLETE]
    assert placed.abnormalities[0].policy.release == "automatic"
    (result,) = await BulkOrders(shop.use_cases).apply(
        STAFF,
        BulkAction.RESOLVE_ABNORMAL,
        [placed.id],
        BulkInput(reason="电话核实地址：自提点", abnormal_type=AbnormalType.ADDRESS_INCOMPLETE),
    )
    assert result.done and result.status == "awaiting_review"
    assert _stored(shop, placed.id).timeline[-2].reason == "电话核实地址：自提点"


async def test_ord5_the_type_and_a_reason_are_required_and_the_permission_first() -> None:
    shop, (first, _), _ = await _abnormal_shop()
    bulk = BulkOrders(shop.use_cases)
    before = _state(shop, first.id)
    cases: list[tuple[BulkInput, str]] = [
        (BulkInput(reason="已读"), "abnormalType"),
        (BulkInput(abnormal_type=MESSAGE), "reason"),
        (BulkInput(reason="  ", abnormal_type=MESSAGE), "reason"),
    ]
    for given, field in cases:
        with pytest.raises(ValidationFailed) as invalid:
            await bulk.apply(STAFF, BulkAction.RESOLVE_ABNORMAL, [first.id], given)
        assert [(e.field, e.code) for e in invalid.value.errors] == [(field, "required")]
    reader = CallContext(
        TENANT, Actor(ActorKind.USER, str(uuid.uuid4())), frozenset({ORDERS_READ, ORDERS_WRITE})
    )
    with pytest.raises(PermissionDenied):
        await bulk.apply(
            reader,
            BulkAction.RESOLVE_ABNORMAL,
            [first.id],
            BulkInput(reason="已读", abnormal_type=MESSAGE),
        )
    assert _state(shop, first.id) == before  # still abnormal, nothing written


class _ConflictOn:
    """The dispatcher, except that one order meets another change as it is saved."""

    def __init__(self, use_cases: UseCases, order_id: uuid.UUID) -> None:
        self._use_cases, self._order_id = use_cases, order_id

    async def run(self, ctx: CallContext, command: Any) -> Any:
        if command.order_id == self._order_id:
            raise StaleVersion()
        return await self._use_cases.run(ctx, command)


async def test_ord8_a_version_conflict_refuses_that_order_only() -> None:
    shop, (first, second), _ = await _abnormal_shop()
    bulk = BulkOrders(_ConflictOn(shop.use_cases, first.id))  # type: ignore[arg-type]
    results = await bulk.apply(
        STAFF,
        BulkAction.RESOLVE_ABNORMAL,
        [first.id, second.id],
        BulkInput(reason="已读", abnormal_type=MESSAGE),
    )
    assert [(r.done, r.code) for r in results] == [(False, "stale_version"), (True, None)]
    assert _stored(shop, first.id).status is OrderStatus.ABNORMAL
    assert _stored(shop, second.id).status is OrderStatus.AWAITING_REVIEW
