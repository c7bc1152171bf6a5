"""Inventory costing (INV-7): FIFO layers or a moving weighted average per SKU × warehouse,
landed costs allocated over a receipt's lines, and the value every movement moves.

Pure: the live posting (``application.inventory.costing.post``) and the back-dated
re-valuation (``application.inventory.costing.revaluation``) both run a ``CostPool``, so
the figures a movement posts and the figures a re-valuation recomputes come from the
same code.

Rounding rules (docs/inventory.md, "Costing (INV-7)"):

- unit costs keep six places (``unit``), money keeps the fen (``money``), both rounded
  half-even;
- a receipt line's value is ``money(quantity × unit cost)`` plus its share of the landed
  costs; its layer's unit cost is that value ÷ quantity to six places (shown, never
  multiplied back: the layer keeps its value in fen);
- FIFO: taking units ``[a, b)`` of a layer of ``q`` units worth ``v`` costs
  ``money(v·b/q) − money(v·a/q)``: the parts of a layer always add up to its value, and
  what is left of a layer depends only on how many units were taken, never on how the
  takes were split (so a re-valuation rebuilds the layers from counts alone);
- moving average: taking ``k`` of ``n`` units worth ``V`` costs ``money(V·k/n)`` (all of
  ``V`` when ``k = n``), so the value never keeps a fen without units;
- landed costs: each charge is split over the lines by the chosen basis with the largest
  remainder method in fen, so the parts add up to the charge exactly.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from domain.inventory.stock import Deltas
from domain.shared.errors import Conflict, ValidationFailed

FEN = Decimal("0.01")
UNIT_PLACES = Decimal("0.000001")
ZERO = Decimal("0.00")


def money(amount: Decimal) -> Decimal:
    """To the fen, half-even."""
    return amount.quantize(FEN, rounding=ROUND_HALF_EVEN)


def unit(amount: Decimal) -> Decimal:
    """A unit cost: six places, half-even."""
    return amount.quantize(UNIT_PLACES, rounding=ROUND_HALF_EVEN)


class CostingMethod(StrEnum):
    FIFO = "fifo"
    MOVING_AVERAGE = "moving_average"


class CostingHistoryExists(Conflict):
    """The method cannot change once a cost was posted (docs/inventory.md)."""

    code = "costing_history_exists"


def valued_quantity(deltas: Deltas) -> int:
    """The units a movement brings into (+) or takes out of (−) the warehouse's value:
    on hand and non-sellable goods both carry value; a state change between them moves
    none, reservations and pick locks move none, goods in transit are the transfer's."""
    return deltas.on_hand + deltas.non_sellable


@dataclass
class Layer:
    """A FIFO cost layer: what one inbound movement brought, and how much of it is gone."""

    key: int  # the ledger seq of the inbound movement
    effective_at: datetime
    quantity: int
    value: Decimal  # in fen: the whole layer's value
    taken: int = 0

    @property
    def remaining(self) -> int:
        return self.quantity - self.taken

    def value_taken(self, units: int) -> Decimal:
        """The value of the first ``units`` units of the layer (path independent)."""
        if units >= self.quantity:
            return self.value
        return money(self.value * units / self.quantity)

    @property
    def remaining_value(self) -> Decimal:
        return self.value - self.value_taken(self.taken)

    @property
    def unit_cost(self) -> Decimal:
        return unit(self.value / self.quantity) if self.quantity else ZERO


@dataclass
class CostPool:
    """The cost of one SKU × warehouse: its units and their value, and under FIFO the
    layers they are in (oldest first).

    The live hook loads only the oldest layers an issue needs (a SKU may hold thousands),
    so under FIFO the pool also records what changed — layers added, partly taken, used
    up — for the store to write just those."""

    method: CostingMethod
    quantity: int = 0
    value: Decimal = ZERO
    last_unit_cost: Decimal = ZERO  # what a movement in without a cost of its own is worth
    layers: deque[Layer] = field(default_factory=deque)
    added: list[Layer] = field(default_factory=list)
    touched: list[Layer] = field(default_factory=list)
    used_up: list[Layer] = field(default_factory=list)

    @property
    def unit_cost(self) -> Decimal:
        """The current unit cost (six places): the value per unit held, or the last known
        one when nothing is held."""
        if self.quantity > 0:
            return unit(self.value / self.quantity)
        return self.last_unit_cost

    def bring_in(
        self,
        key: int,
        effective_at: datetime,
        quantity: int,
        value: Decimal | None = None,
        unit_cost: Decimal | None = None,
    ) -> Decimal:
        """Units in: at ``value`` (exact, e.g. a landed-cost line or a transfer's carried
        value), else at ``unit_cost``, else at the current unit cost. Answers the value."""
        if quantity <= 0:
            # guard: ``move`` and the replay call it with positive valued quantities only
            raise ValueError("bring_in takes a positive quantity")
        if value is None:
            value = money(quantity * (self.unit_cost if unit_cost is None else unit_cost))
        value = money(value)
        if value < 0:
            raise ValidationFailed.single("unitCost", "must_not_be_negative")
        self.quantity += quantity
        self.value += value
        self.last_unit_cost = unit(value / quantity)
        if self.method is CostingMethod.FIFO:
            self._insert(Layer(key, effective_at, quantity, value))
        return value

    def _insert(self, layer: Layer) -> None:
        """In (effective time, key) order: at the end but for a back-dated one."""
        self.added.append(layer)
        position = len(self.layers)
        while position and (
            self.layers[position - 1].effective_at,
            self.layers[position - 1].key,
        ) > (
            layer.effective_at,
            layer.key,
        ):
            position -= 1
        self.layers.insert(position, layer)

    def take_out(self, quantity: int) -> Decimal:
        """Units out: their cost (FIFO: the oldest layers first, across as many as it
        takes; moving average: the running average). Answers a positive amount."""
        if quantity <= 0:
            # guard: ``move`` and the hook call it with positive quantities only
            raise ValueError("take_out takes a positive quantity")
        if quantity > self.quantity:
            # guard: the stock level's conditional update refuses this first
            raise ValueError("more units out than the pool holds")
        if self.method is CostingMethod.FIFO:
            amount = self._take_layers(quantity)
        elif quantity == self.quantity:
            amount = self.value
        else:
            amount = money(self.value * quantity / self.quantity)
        if self.quantity:
            self.last_unit_cost = self.unit_cost
        self.quantity -= quantity
        self.value -= amount
        return amount

    def _take_layers(self, quantity: int) -> Decimal:
        amount, wanted = ZERO, quantity
        while wanted and self.layers:
            layer = self.layers[0]
            units = min(wanted, layer.remaining)
            amount += layer.value_taken(layer.taken + units) - layer.value_taken(layer.taken)
            layer.taken += units
            wanted -= units
            if layer.remaining == 0:
                self.used_up.append(self.layers.popleft())
            else:
                self.touched.append(layer)
        return amount

    def move(
        self,
        key: int,
        effective_at: datetime,
        quantity: int,
        value: Decimal | None = None,
        unit_cost: Decimal | None = None,
    ) -> Decimal:
        """THE hook's arithmetic: a signed valued quantity in or out; answers the signed
        amount it moves (positive in, negative out, zero for nothing)."""
        if quantity > 0:
            return self.bring_in(key, effective_at, quantity, value, unit_cost)
        if quantity < 0:
            return -self.take_out(-quantity)
        return ZERO

    def copy(self) -> CostPool:
        """A copy with its own layers and nothing recorded as changed."""
        return replace(
            self,
            layers=deque(replace(layer) for layer in self.layers),
            added=[],
            touched=[],
            used_up=[],
        )


# ---------------------------------------------------------------------------------------
# Landed costs


class AllocationBasis(StrEnum):
    QUANTITY = "quantity"
    VALUE = "value"
    WEIGHT = "weight"


class ChargeKind(StrEnum):
    FREIGHT = "freight"
    DUTY = "duty"
    OTHER = "other"


@dataclass(frozen=True)
class Charge:
    kind: ChargeKind
    amount: Decimal
    basis: AllocationBasis = AllocationBasis.QUANTITY


@dataclass(frozen=True)
class ReceiptLine:
    quantity: int
    unit_cost: Decimal
    weight: Decimal | None = None  # the line's total weight (any unit), for the weight basis


@dataclass(frozen=True)
class CostedLine:
    goods: Decimal  # money(quantity × unit cost)
    landed: Decimal  # its share of the charges
    total: Decimal  # goods + landed: the layer's value
    unit_cost: Decimal  # total ÷ quantity, six places


def split(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """``amount`` (fen) in parts proportional to ``weights``, each to the fen, adding up to
    ``amount`` exactly: each part rounded down, then the fen left over go one each to the
    largest remainders (ties to the earlier line)."""
    amount = money(amount)
    total = sum(weights, Decimal(0))
    if not weights:
        return []
    if total <= 0:
        raise ValidationFailed.single("charges", "no_allocation_basis")
    cents = int(amount / FEN)
    exact = [Decimal(cents) * w / total for w in weights]
    parts = [int(e.to_integral_value(rounding=ROUND_FLOOR)) for e in exact]
    left = cents - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return [Decimal(p) * FEN for p in parts]


def allocate(lines: Sequence[ReceiptLine], charges: Iterable[Charge]) -> list[CostedLine]:
    """Each line's goods value, its share of every charge and its landed unit cost."""
    if not lines:
        raise ValidationFailed.single("lines", "required")
    goods = [money(line.quantity * line.unit_cost) for line in lines]
    landed = [ZERO for _ in lines]
    for number, charge in enumerate(charges):
        if charge.amount < 0:
            raise ValidationFailed.single(f"charges[{number}].amount", "must_not_be_negative")
        if charge.basis is AllocationBasis.QUANTITY:
            weights = [Decimal(line.quantity) for line in lines]
        elif charge.basis is AllocationBasis.VALUE:
            weights = goods
        else:
            missing = [i for i, line in enumerate(lines) if line.weight is None]
            if missing:
                raise ValidationFailed.single(f"lines[{missing[0]}].weight", "required")
            weights = [line.weight or Decimal(0) for line in lines]
        for i, part in enumerate(split(charge.amount, weights)):
            landed[i] += part
    return [
        CostedLine(g, extra, g + extra, unit((g + extra) / line.quantity))
        for line, g, extra in zip(lines, goods, landed, strict=True)
    ]


# ---------------------------------------------------------------------------------------
# Re-valuation (a back-dated movement)


@dataclass(frozen=True)
class ValuedMovement:
    """A ledger row as a re-valuation replays it: its key (seq), when it counts, its
    valued quantity, the value it brings in when that is fixed (a receipt's cost, a
    transfer's carried value; None: valued by the pool, e.g. a return at the current
    cost), and the amount it holds now (posted + earlier corrections)."""

    key: int
    effective_at: datetime
    quantity: int
    fixed_value: Decimal | None
    amount: Decimal


@dataclass(frozen=True)
class Correction:
    key: int
    effective_at: datetime
    was: Decimal
    now: Decimal

    @property
    def delta(self) -> Decimal:
        return self.now - self.was


def replay(
    pool: CostPool,
    movements: Iterable[ValuedMovement],
    boundaries: Sequence[datetime] = (),
) -> tuple[list[Correction], dict[datetime, tuple[int, Decimal]]]:
    """Run ``movements`` (in effective order) through ``pool`` (its state before the first
    one); answer the movements whose amount changes, and the pool's (quantity, value)
    at each boundary (a closing: movements effective before it count)."""
    corrections: list[Correction] = []
    at_boundary: dict[datetime, tuple[int, Decimal]] = {}
    pending = sorted(boundaries)
    for movement in movements:
        while pending and pending[0] <= movement.effective_at:
            at_boundary[pending.pop(0)] = (pool.quantity, pool.value)
        amount = pool.move(
            movement.key, movement.effective_at, movement.quantity, movement.fixed_value
        )
        if amount != movement.amount:
            corrections.append(
                Correction(movement.key, movement.effective_at, movement.amount, amount)
            )
    for boundary in pending:
        at_boundary[boundary] = (pool.quantity, pool.value)
    return corrections, at_boundary


def fifo_layers_after(
    inbound: Iterable[tuple[int, datetime, int, Decimal]], taken_units: int
) -> list[Layer]:
    """The FIFO layers left when ``taken_units`` units went out of the inbound movements
    ``(key, effective_at, quantity, value)`` (oldest first): with path-independent takes,
    the count alone decides what is left."""
    layers: list[Layer] = []
    for key, effective_at, quantity, value in inbound:
        used = min(quantity, taken_units)
        taken_units -= used
        if used < quantity:
            layers.append(Layer(key, effective_at, quantity, value, used))
    return layers
