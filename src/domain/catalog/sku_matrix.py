"""The SKU matrix (CAT-5): one SKU per combination of the chosen values of the product
type's variant axes.

Cap: at most ``MAX_AXES`` (5) axes and ``MAX_COMBINATIONS`` (1,000) combinations — past
it, ValidationFailed ``sku_matrix_too_large`` with the ``count`` asked for and the ``max``.
1,000 is also a product's cap on active SKUs, so a full matrix always fits.

Order (deterministic, whatever order the values were chosen in): axes in the type's
order, the first varying slowest; values of an enum in the type's order, booleans true
then false, numbers ascending, text in the order chosen (duplicates dropped).

Codes of new SKUs: the base code (the product's code by default) and one slug per axis
value, joined by ``-``: ``TS-RED-XL``. A slug is the value NFKC-normalised and upper-cased,
keeping ASCII letters, digits and ``.``, other runs becoming ``-``, cut to 12 characters;
a value with nothing left (红色) is written as its two-digit 1-based position among the
axis's values in matrix order (``TS-01-XL``). Too long a code is cut to 64 characters. A
code already taken — by any SKU of the product, archived ones too, by a code the caller
knows is taken in the tenant, or by an earlier row — gets ``-2``, ``-3``, … .

Regenerating is idempotent: existing SKUs are matched by their axis values and keep their
id and code. A matched archived SKU comes back (``revived``); active SKUs whose combination
is no longer chosen are ``retired`` (archived, never deleted). SKUs whose axis values do not
fit the type any more (its axes changed) match nothing and are retired.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from uuid import UUID

from domain.catalog.checks import FieldChecks
from domain.catalog.codes import MAX_CODE_LENGTH, check_code, code_key
from domain.catalog.product import MAX_ACTIVE_SKUS, Sku, SkuInput
from domain.catalog.product_type import (
    MAX_VARIANT_AXES,
    AttributeDefinition,
    AttributeKind,
    AttributeValue,
    ProductType,
    is_blank,
    value_text,
)
from domain.shared.errors import FieldError

MAX_COMBINATIONS = MAX_ACTIVE_SKUS
MAX_AXES = MAX_VARIANT_AXES
MAX_SLUG_LENGTH = 12

_NOT_SLUG = re.compile(r"[^A-Z0-9.]+")

Combination = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MatrixRow:
    axis_values: Mapping[str, str]
    code: str
    sku_id: UUID | None  # the existing SKU of this combination; None: a SKU to create
    revived: bool = False  # that SKU was archived and comes back


@dataclass(frozen=True)
class SkuMatrix:
    rows: tuple[MatrixRow, ...]
    retired: tuple[UUID, ...]  # active SKUs whose combination is no longer chosen

    @property
    def new_rows(self) -> tuple[MatrixRow, ...]:
        return tuple(row for row in self.rows if row.sku_id is None)


def matrix_size(value_counts: Sequence[int]) -> int:
    """The number of combinations: the product of the axes' value counts (1 for no axes)."""
    return math.prod(value_counts)


def combination_of(axis_values: Mapping[str, str]) -> Combination:
    return tuple(sorted(axis_values.items()))


def value_slug(text: str, position: int) -> str:
    slug = _NOT_SLUG.sub("-", unicodedata.normalize("NFKC", text).upper()).strip("-.")
    slug = slug[:MAX_SLUG_LENGTH].strip("-.")
    return slug or f"{position:02d}"


def generate_sku_matrix(
    product_type: ProductType,
    chosen: Mapping[str, Sequence[object]],
    base_code: str,
    existing: Sequence[Sku] = (),
    taken_codes: Collection[str] = (),
) -> SkuMatrix:
    """The matrix for the values chosen per axis (attribute code → values)."""
    check = FieldChecks()
    base = check_code(check, "baseCode", base_code)
    for code in sorted(chosen):
        definition = product_type.attribute(code)
        if definition is None:
            check.add(FieldError(f"axes.{code}", "unknown_attribute"))
        elif not definition.variant_axis:
            check.add(FieldError(f"axes.{code}", "attribute_not_variant_axis"))
    axes = product_type.axes
    if len(axes) > MAX_AXES:
        check.add(
            FieldError("axes", "sku_matrix_too_many_axes", {"count": len(axes), "max": MAX_AXES})
        )
    values = [_chosen_values(check, axis, chosen.get(axis.code, ())) for axis in axes]
    count = matrix_size([len(v) for v in values])
    if count > MAX_COMBINATIONS:
        check.add(
            FieldError("axes", "sku_matrix_too_large", {"count": count, "max": MAX_COMBINATIONS})
        )
    check.raise_if_failed()
    return _match(axes, values, base or base_code, existing, taken_codes)


def _chosen_values(
    check: FieldChecks, axis: AttributeDefinition, raw_values: Sequence[object]
) -> list[str]:
    path = f"axes.{axis.code}"
    if isinstance(raw_values, str | bytes) or not raw_values:
        check.add(FieldError(path, "required"))
        return []
    typed: dict[str, AttributeValue] = {}
    for i, raw in enumerate(raw_values):
        if is_blank(raw):
            check.add(FieldError(f"{path}[{i}]", "required"))
            continue
        value = axis.value(check, f"{path}[{i}]", raw)
        if value is not None:
            typed.setdefault(value_text(value), value)
    texts = list(typed)
    if axis.kind is AttributeKind.ENUM:
        texts.sort(key=axis.allowed_values.index)
    elif axis.kind is AttributeKind.BOOLEAN:
        texts.sort(key=lambda t: t != "true")
    elif axis.kind is AttributeKind.NUMBER:
        texts.sort(key=Decimal)
    return texts


def _match(
    axes: tuple[AttributeDefinition, ...],
    values: list[list[str]],
    base: str,
    existing: Sequence[Sku],
    taken_codes: Collection[str],
) -> SkuMatrix:
    active: dict[Combination, Sku] = {}
    archived: dict[Combination, Sku] = {}
    for sku in existing:
        (archived if sku.archived else active).setdefault(combination_of(sku.axis_values), sku)
    taken = {code_key(c) for c in taken_codes} | {code_key(s.code) for s in existing}
    rows: list[MatrixRow] = []
    matched: set[UUID] = set()
    for picks in _cartesian(values):
        axis_values = {
            axis.code: values[a][p] for a, (axis, p) in enumerate(zip(axes, picks, strict=True))
        }
        combination = combination_of(axis_values)
        found = active.get(combination) or archived.get(combination)
        if found is not None:
            matched.add(found.id)
            rows.append(MatrixRow(axis_values, found.code, found.id, revived=found.archived))
            continue
        slugs = [value_slug(values[a][p], p + 1) for a, p in enumerate(picks)]
        code = _unique("-".join([base, *slugs])[:MAX_CODE_LENGTH].rstrip("-."), taken)
        taken.add(code_key(code))
        rows.append(MatrixRow(axis_values, code, None))
    retired = tuple(s.id for s in existing if not s.archived and s.id not in matched)
    return SkuMatrix(tuple(rows), retired)


def _cartesian(values: list[list[str]]) -> list[tuple[int, ...]]:
    """Index tuples of every combination, the first axis varying slowest."""
    combos: list[tuple[int, ...]] = [()]
    for axis_values in values:
        combos = [(*combo, i) for combo in combos for i in range(len(axis_values))]
    return combos


def _unique(code: str, taken: set[str]) -> str:
    if code_key(code) not in taken:
        return code
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = code[: MAX_CODE_LENGTH - len(suffix)].rstrip("-.") + suffix
        if code_key(candidate) not in taken:
            return candidate
        n += 1


def matrix_sku_inputs(
    existing: Sequence[Sku],
    matrix: SkuMatrix,
    new_ids: Sequence[UUID],
    *,
    list_price: Decimal | None = None,
    cost: Decimal | None = None,
    weight_grams: Decimal | None = None,
) -> list[SkuInput]:
    """The product's SKUs once the matrix is applied, for ``Product.revise``: the matrix's
    rows in matrix order (new ones with the given defaults and ids), then the other
    existing SKUs, archived."""
    if len(new_ids) < len(matrix.new_rows):
        # guard: the use case draws one id per new row; fewer is a programming error
        raise ValueError("one new id is needed per new row")
    by_id = {sku.id: sku for sku in existing}
    ids = iter(new_ids)
    result: list[SkuInput] = []
    for row in matrix.rows:
        if row.sku_id is not None:
            result.append(replace(by_id[row.sku_id].as_input(), archived=False))
        else:
            result.append(
                SkuInput(
                    id=next(ids),
                    code=row.code,
                    list_price=list_price,
                    cost=cost,
                    weight_grams=weight_grams,
                    axis_values=dict(row.axis_values),
                )
            )
    in_matrix = {row.sku_id for row in matrix.rows}
    result.extend(
        replace(sku.as_input(), archived=True) for sku in existing if sku.id not in in_matrix
    )
    return result
