"""The rule engine's remaining inputs and follow-ups on the typed fakes (ORD-1, ORD-4,
ORD-5): ``paid_time_of_day`` reads the tenant's own time zone; an order whose hold is
released — by a person or by the hold's end — is reviewed again, and the rule that held it
does not hold it twice; a rule's ``split`` action really splits the order."""

from __future__ import annotations

from typing import Any

from application.orders.lifecycle import RecordPayment, ReleaseHold
from application.orders.placing import NewLine, NewOrder, PlaceOrder
from application.orders.review import SaveRuleSet
from application.orders.sweeps import ReleaseExpiredHolds
from domain.identity.tenant import Tenant
from domain.inventory.stock import Deltas
from domain.orders.payment_records import PaymentMethod
from domain.orders.status import OrderStatus
from tests.unit.orders.test_use_cases import CTX, RECEIVER, START, TENANT, Shop, make_shop, order

HOLD_BIG = {
    "id": "big",
    "name": "大额订单人工复核",
    "priority": 10,
    "conditions": [{"kind": "amount_between", "min": "40"}],
    "actions": [{"kind": "hold", "hours": 4, "reason": "大额订单人工复核"}],
}
APPROVE_REST = {
    "id": "rest",
    "name": "其余自动审核",
    "priority": 900,
    "actions": [{"kind": "approve"}],
}


async def _paid(shop: Shop, rules: list[dict[str, Any]], quantity: int) -> Any:
    await shop.use_cases.run(CTX, SaveRuleSet(rules, 0))
    sku = await shop.sku(20)
    placed = await shop.use_cases.run(CTX, order((sku, quantity)))
    return await shop.use_cases.run(CTX, RecordPayment(placed.id, PaymentMethod.CASH, placed.total))


async def test_ord1_paid_time_of_day_is_read_in_the_tenants_time_zone() -> None:
    """Paid at 00:00 UTC: 08:00 in Shanghai (the default), 00:00 in London — a night rule
    (00:00–01:00) holds the London tenant's order only."""
    night = {
        "id": "night",
        "name": "夜间单",
        "priority": 5,
        "conditions": [{"kind": "paid_time_of_day", "from": "00:00", "to": "01:00"}],
        "actions": [{"kind": "hold", "hours": 2, "reason": "夜间单复核"}],
    }
    outcomes = {}
    for zone in ("Asia/Shanghai", "Europe/London"):
        shop = await make_shop()
        shop.db.directory.tenants[TENANT] = Tenant(TENANT, "acme", "Acme", time_zone=zone)
        paid = await _paid(shop, [night], 1)
        assert paid.order.paid_at == START
        outcomes[zone] = paid.order.status
    assert outcomes == {
        "Asia/Shanghai": OrderStatus.AWAITING_REVIEW,
        "Europe/London": OrderStatus.HELD,
    }


async def test_ord1_a_hold_released_by_a_person_is_reviewed_again() -> None:
    """The hold of big@v1 stopped rest@v1's approval; released, the order is reviewed
    again: big@v1 has acted and acts no more, rest@v1 approves."""
    shop = await make_shop()
    held = await _paid(shop, [HOLD_BIG, APPROVE_REST], 5)  # 45.00
    assert held.order.status is OrderStatus.HELD
    released = await shop.use_cases.run(CTX, ReleaseHold(held.order.id, held.order.version))
    assert released.order.status is OrderStatus.APPROVED and released.order.hold is None
    kinds = [(e.actor, e.to_status, str(e.rule)) for e in released.order.timeline[-2:]]
    assert kinds == [
        ("support:test", "awaiting_review", "None"),
        ("rule_engine", "approved", "rest@v1"),
    ]


async def test_ord1_a_hold_that_ends_is_reviewed_again() -> None:
    shop = await make_shop()
    held = await _paid(shop, [HOLD_BIG, APPROVE_REST], 5)
    shop.clock.advance(hours=4, minutes=1)
    assert await shop.use_cases.run(CTX, ReleaseExpiredHolds()) == 1
    stored = shop.db.tenant(TENANT).orders.orders[held.order.id].order
    assert stored.status is OrderStatus.APPROVED
    assert stored.timeline[-2].actor == "system:orders.hold_expiry"
    assert str(stored.timeline[-1].rule) == "rest@v1"
    assert await shop.use_cases.run(CTX, ReleaseExpiredHolds()) == 0  # not held again


async def test_ord4_a_rule_split_action_splits_the_order() -> None:
    """A rule ``split`` by package cap (2 units) on a 5-unit order: three parts of 2, 2
    and 1 units, each holding its stock; the original retired, the rule on the parts'
    timelines."""
    cap = {
        "id": "cap",
        "name": "每包两件",
        "priority": 20,
        "actions": [{"kind": "split", "by": "package_cap", "cap": 2}],
    }
    shop = await make_shop()
    sku = await shop.sku(9)
    await shop.use_cases.run(CTX, SaveRuleSet([cap], 0))
    placed = await shop.use_cases.run(CTX, order((sku, 5)))
    paid = await shop.use_cases.run(CTX, RecordPayment(placed.id, PaymentMethod.CASH, placed.total))
    original = paid.order
    assert len(original.split_into) == 3 and original.retired
    tables = shop.db.tenant(TENANT).orders.orders
    parts = [tables[i].order for i in original.split_into]
    assert [p.lines[0].quantity for p in parts] == [2, 2, 1]
    assert [p.reserved for p in parts] == [{sku: 2}, {sku: 2}, {sku: 1}]
    assert sum(p.total for p in parts) == placed.total
    assert sum(p.paid_amount for p in parts) == placed.total
    assert all(p.status is OrderStatus.AWAITING_REVIEW for p in parts)
    entry = parts[0].timeline[-1]
    assert (entry.kind, entry.actor, str(entry.rule)) == ("split_from", "rule_engine", "cap@v1")
    assert shop.level(sku) == Deltas(on_hand=9, reserved=5)


async def test_ord4_a_rule_split_at_placement_splits_the_placed_order() -> None:
    """A marketplace order paid at intake is reviewed while placed: the split follows
    once it is stored, and placing answers the original, retired."""
    presale = {
        "id": "presale",
        "name": "预售分开发",
        "priority": 20,
        "actions": [{"kind": "split", "by": "presale"}],
    }
    shop = await make_shop()
    now_sku, later_sku = await shop.sku(5), await shop.sku(5)
    await shop.use_cases.run(CTX, SaveRuleSet([presale], 0))
    new = NewOrder(
        (NewLine(now_sku, 1), NewLine(later_sku, 1, presale=True)),
        RECEIVER,
        cash_on_delivery=True,
    )
    placed = await shop.use_cases.run(CTX, PlaceOrder(new))
    assert len(placed.split_into) == 2
    tables = shop.db.tenant(TENANT).orders.orders
    parts = [tables[i].order for i in placed.split_into]
    assert [[x.presale for x in p.lines] for p in parts] == [[False], [True]]
    assert all(p.placed_at == START and p.reserved for p in parts)
