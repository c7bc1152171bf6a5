"""THE costing hook (INV-7; docs/inventory.md, "Costing (INV-7)" → "The hook").

Every stock movement is written through ``post_movement``: receipts, issues (and a
reservation's shipment), adjustments, returns, state changes — and, once they arrive, a
count's variance and a transfer's two halves. A movement whose valued quantity
(``on_hand + non_sellable`` deltas) is zero — a reservation, a release, a pick lock, a
state change — is written as before, with no cost read and no cost lock. One that moves
value, inside the caller's transaction:

1. holds the tenant's costing method against a change (a shared advisory lock);
2. locks its SKU × warehouse (the stock level row(s) FOR UPDATE, then the cost position);
3. prices the movement with the pool (``domain.inventory.costing.CostPool.move``):
   units in at the movement's ``cost_amount`` (exact), else its ``unit_cost``, else the
   current unit cost; units out at FIFO layers or the moving average;
4. writes the movement (the conditional update and its ledger row, one statement) with
   ``cost_amount`` — the signed value it moved — on the ledger row;
5. saves the pool (position, FIFO layers).

A transfer carries its value by passing the ``transfer_out``'s amount (negated) as the
``transfer_in``'s ``Movement.cost_amount``; a count variance needs nothing: a gain comes
in at the current unit cost, a loss goes out like an issue.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from application.inventory.ports import INVENTORY
from application.shared.unit_of_work import UnitOfWork
from domain.inventory.costing import ZERO, unit, valued_quantity
from domain.inventory.stock import Deltas, Movement

_PENDING = -1  # the key of the layer a movement brings in, until its ledger seq is known
_LATEST = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Posted:
    """A movement written: the level's figures after it, its ledger row, and the value it
    moved (None: it moves none)."""

    figures: Deltas
    seq: int
    effective_at: datetime
    cost_amount: Decimal | None


async def post_movement(uow: UnitOfWork, movement: Movement, actor: str) -> Posted | None:
    """Write the movement and its cost; None (nothing written) when the level lacks what
    it takes — the caller raises ``InsufficientStock`` and its transaction rolls back."""
    store = uow.of(INVENTORY)
    quantity = valued_quantity(movement.deltas)
    if quantity == 0:
        logged = await store.stock.move_logged(movement, actor)
        return Posted(logged.figures, logged.seq, logged.effective_at, None) if logged else None
    method = await store.costs.share_method()
    # FIFO: only the oldest layers the units out need are loaded.
    pool = await store.costs.lock_pool(
        movement.sku_id, movement.warehouse_id, method, need=max(0, -quantity)
    )
    if quantity < 0:
        # Units out the pool does not hold never pass the conditional update, except
        # units that predate costing (migration 0012): those go out at no value.
        covered = min(-quantity, pool.quantity)
        amount = -pool.take_out(covered) if covered else ZERO
    else:
        amount = pool.move(
            _PENDING,
            movement.effective_at or _LATEST,
            quantity,
            movement.cost_amount,
            movement.unit_cost,
        )
    # An inbound movement with a cost of its own keeps a unit cost on its ledger row (the
    # one given, six places); that marks its value as fixed for a re-valuation.
    unit_cost = None
    if quantity > 0 and movement.unit_cost is not None:
        unit_cost = unit(movement.unit_cost)
    elif quantity > 0 and movement.cost_amount is not None:
        unit_cost = unit(amount / quantity)
    priced = dataclasses.replace(movement, cost_amount=amount, unit_cost=unit_cost)
    logged = await store.stock.move_logged(priced, actor)
    if logged is None:
        return None
    for layer in pool.added:  # the layer this movement brought: its ledger row's key
        layer.key, layer.effective_at = logged.seq, logged.effective_at
    await store.costs.save_pool(movement.sku_id, movement.warehouse_id, pool)
    return Posted(logged.figures, logged.seq, logged.effective_at, amount)
