"""How to cut an order into parts (ORD-4): by chosen lines, by the warehouse assigned to
each line, pre-sale apart from in-stock, or by a weight or package cap. Each returns a
``SplitPlan`` for ``split``; none changes the order.

Packing (weight and unit caps) fills parts in line order, cutting a line when the next
unit would not fit; a single unit heavier than the cap travels alone (a unit cannot be
cut). A plan that would leave everything in one part is refused (``needs_two_parts``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from uuid import UUID

from domain.orders.errors import SplitRefused
from domain.orders.lines import OrderLine
from domain.orders.split import Portion, SplitPlan
from domain.orders.state import OrderState


def _whole(lines: list[OrderLine]) -> tuple[Portion, ...]:
    return tuple(Portion(line.id, line.quantity) for line in lines)


def _two_or_more(plan: SplitPlan) -> SplitPlan:
    if len(plan.groups) < 2:
        raise SplitRefused(reason="needs_two_parts")
    return plan


def by_lines(order: OrderState, chosen: Collection[UUID]) -> SplitPlan:
    """The chosen lines in a new part, the rest in another."""
    unknown = set(chosen) - {line.id for line in order.lines}
    if unknown:
        raise SplitRefused(reason="unknown_line", line=str(sorted(unknown)[0]))
    picked = [line for line in order.lines if line.id in chosen]
    rest = [line for line in order.lines if line.id not in chosen]
    return _two_or_more(SplitPlan(tuple(_whole(g) for g in (picked, rest) if g)))


def by_warehouse(order: OrderState, assignment: Mapping[UUID, UUID]) -> SplitPlan:
    """One part per warehouse, each line to the warehouse that holds its stock (the use
    case asks inventory); parts in the order their warehouses first appear."""
    groups: dict[UUID, list[OrderLine]] = {}
    for line in order.lines:
        if line.id not in assignment:
            raise SplitRefused(reason="line_without_warehouse", line=str(line.id))
        groups.setdefault(assignment[line.id], []).append(line)
    return _two_or_more(SplitPlan(tuple(_whole(g) for g in groups.values()), tuple(groups.keys())))


Available = Mapping[UUID, Mapping[UUID, int]]  # per SKU, the units free in each warehouse


def warehouses_holding(order: OrderState, available: Available) -> dict[UUID, UUID]:
    """Each line to a warehouse that can serve all its units, in as few warehouses as a
    greedy cover finds: the warehouse that can take the most of the lines still open goes
    first (ties: more units, then the warehouse id), lines taken in order and its stock
    counted down as they are. A line no warehouse can serve whole is refused
    (``line_without_warehouse``)."""
    free: dict[UUID, dict[UUID, int]] = {}
    for sku, held in available.items():
        for warehouse, units in held.items():
            free.setdefault(warehouse, {})[sku] = units
    open_lines = list(order.lines)
    assignment: dict[UUID, UUID] = {}
    while open_lines:
        best: tuple[int, int, str] | None = None
        best_lines: list[OrderLine] = []
        for warehouse, stock in free.items():
            taken = _takes(stock, open_lines)
            key = (len(taken), sum(x.quantity for x in taken), str(warehouse))
            if taken and (best is None or key > best):
                best, best_lines = key, taken
        if best is None:
            raise SplitRefused(reason="line_without_warehouse", line=str(open_lines[0].id))
        warehouse = UUID(best[2])
        for line in best_lines:
            free[warehouse][line.sku_id] -= line.quantity
            assignment[line.id] = warehouse
        open_lines = [x for x in open_lines if x.id not in assignment]
    return assignment


def _takes(stock: Mapping[UUID, int], lines: list[OrderLine]) -> list[OrderLine]:
    """The lines (in order) a warehouse with ``stock`` can serve whole, one after another."""
    left, taken = dict(stock), []
    for line in lines:
        if left.get(line.sku_id, 0) >= line.quantity:
            left[line.sku_id] -= line.quantity
            taken.append(line)
    return taken


def by_available_stock(order: OrderState, available: Available) -> SplitPlan:
    """``by_warehouse`` on the warehouses that hold the stock (``warehouses_holding``)."""
    return by_warehouse(order, warehouses_holding(order, available))


def by_presale(order: OrderState) -> SplitPlan:
    """In-stock lines ship now; pre-sale lines (预售) wait in their own part."""
    in_stock = [line for line in order.lines if not line.presale]
    presale = [line for line in order.lines if line.presale]
    return _two_or_more(SplitPlan(tuple(_whole(g) for g in (in_stock, presale) if g)))


def _pack(order: OrderState, size: Callable[[OrderLine], int], cap: int) -> SplitPlan:
    if cap < 1:
        raise SplitRefused(reason="cap_must_be_positive")
    packages: list[dict[UUID, int]] = [{}]
    used = 0
    for line in order.lines:
        left, unit = line.quantity, size(line)
        while left:
            fits = left if unit == 0 else min(left, max(cap - used, 0) // unit)
            if fits == 0:
                if packages[-1]:
                    packages.append({})
                    used = 0
                    continue
                fits = 1  # one unit above the cap travels alone
            packages[-1][line.id] = packages[-1].get(line.id, 0) + fits
            used += fits * unit
            left -= fits
    groups = tuple(tuple(Portion(i, q) for i, q in p.items()) for p in packages if p)
    return _two_or_more(SplitPlan(groups))


def by_weight(order: OrderState, cap_grams: int) -> SplitPlan:
    return _pack(order, lambda line: line.unit_weight_grams, cap_grams)


def by_package_cap(order: OrderState, max_units: int) -> SplitPlan:
    return _pack(order, lambda line: 1, max_units)
