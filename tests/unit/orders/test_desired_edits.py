"""An edit given as the order wanted (ORD-2): only what differs becomes an edit, so a form
sent back unchanged is no edit (and ``EditOrder`` with none writes nothing)."""

from __future__ import annotations

import uuid

from application.orders.desired_edits import edits_towards
from application.orders.lifecycle import ChangeAddress, ChangeQuantity
from tests.unit.orders.factory import SKU_B, line, receiver, reviewed


def test_the_order_as_it_stands_is_no_edit() -> None:
    target = reviewed(line(quantity=1), line(SKU_B, quantity=2))
    quantities = {x.id: x.quantity for x in target.lines}
    assert edits_towards(target, receiver(), quantities) == ()


def test_a_new_receiver_and_each_changed_quantity_are_edits_in_turn() -> None:
    first, second = line(quantity=1), line(SKU_B, quantity=2)
    target = reviewed(first, second)
    moved = receiver(line="文三路 2 号")
    edits = edits_towards(target, moved, {first.id: 1, second.id: 3})
    assert edits == (ChangeAddress(moved), ChangeQuantity(second.id, 3))


def test_a_line_left_out_keeps_its_quantity_and_an_unknown_one_is_handed_on() -> None:
    first = line(quantity=2)
    target = reviewed(first)
    assert edits_towards(target, receiver(), {}) == ()
    stranger = uuid.uuid4()
    assert edits_towards(target, receiver(), {stranger: 1}) == (ChangeQuantity(stranger, 1),)
