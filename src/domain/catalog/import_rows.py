"""Bulk import (CAT-2), the domain part: rows grouped into products, each checked whole.

The file's layout and escaping are in ``file_layout.py``. Rows are grouped by
product_code, wherever they are in the file. A product's first row holds its
product-level values; later rows repeat them or leave them blank — a different value is an
error (``conflicts_with_row``).

Import upserts by SKU code within the product named by product_code; a SKU code that
belongs to another product is an error. A column missing from the file leaves that field
as it is (an export without ``catalog:read_cost`` has no cost column and re-imports without
touching costs); a blank cell in a present column clears the field — except kind and
lifecycle, which a blank leaves as they are (new products: physical, new). SKUs of an
existing product that the file does not mention stay as they are. Archived products are
refused (exports leave them out).

Errors are ``RowError(row, column, code, params)``. All rows of one product are accepted
or rejected together: one bad row rejects its product, and the plan lists every error; the
application imports nothing while there are errors unless the caller asks for the valid
products only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from domain.catalog.category import category_path_key, split_category_path
from domain.catalog.checks import FieldChecks, name_key, parse_boolean, to_decimal
from domain.catalog.codes import code_key
from domain.catalog.file_layout import (
    HEADER_ROW,
    PRODUCT_COLUMNS,
    SKU_COLUMNS,
    Layout,
    attribute_column,
    unescape_cell,
)
from domain.catalog.product import (
    LIFECYCLE_TRANSITIONS,
    Lifecycle,
    Product,
    ProductDetails,
    ProductInput,
    ProductKind,
    Sku,
    SkuInput,
    validate_content,
)
from domain.catalog.product_type import ProductType
from domain.shared.file_rows import RowError

_PRODUCT_FIELD_COLUMNS = {
    "code": "product_code",
    "name": "product_name",
    "description": "description",
    "material": "material",
    "kind": "kind",
    "lifecycle": "lifecycle",
}
_SKU_FIELD_COLUMNS = {
    "id": "sku_code",
    "code": "sku_code",
    "barcode": "barcode",
    "listPrice": "list_price",
    "cost": "cost",
    "weightGrams": "weight_grams",
    "archived": "sku_archived",
}
_SKU_PATH = re.compile(r"^skus\[(\d+)\](?:\.([A-Za-z]+))?(?:\.([a-z0-9_]+))?$")

T = TypeVar("T")


@dataclass(frozen=True)
class Row:
    number: int
    values: Mapping[str, str]  # column → unescaped cell, for the columns of the layout
    _stripped: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # ``get`` is asked millions of times in a large file: strip each cell once.
        stripped = {column: value.strip() for column, value in self.values.items()}
        object.__setattr__(self, "_stripped", stripped)

    def get(self, column: str) -> str:
        return self._stripped.get(column, "")


@dataclass(frozen=True)
class ProductGroup:
    product_code: str
    rows: tuple[Row, ...]  # in file order; the first holds the product-level values

    @property
    def first_row(self) -> int:
        return self.rows[0].number

    @property
    def sku_rows(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.get("sku_code"))


@dataclass(frozen=True)
class Grouping:
    groups: tuple[ProductGroup, ...]
    errors: tuple[RowError, ...]  # structural: found before any product is looked at


def group_rows(layout: Layout, rows: Iterable[Sequence[str]]) -> Grouping:
    """Group data rows by product code; check what needs no stored state: required codes,
    product-level cells that disagree, SKU codes and barcodes repeated in the file."""
    groups: dict[str, list[Row]] = {}
    errors: list[RowError] = []
    width = len(layout.columns)
    for index, cells in enumerate(rows):
        number = HEADER_ROW + 1 + index
        if not any(c.strip() for c in cells):
            continue
        if any(c.strip() for c in cells[width:]):
            errors.append(RowError(number, None, "too_many_cells", {"max": width}))
        row = Row(
            number,
            {
                col: unescape_cell(cells[i]) if i < len(cells) else ""
                for i, col in enumerate(layout.columns)
            },
        )
        code = row.get("product_code")
        if not code:
            errors.append(RowError(number, "product_code", "required"))
            continue
        if not row.get("sku_code"):
            errors.extend(
                RowError(number, c, "requires_sku_code")
                for c in SKU_COLUMNS
                if c != "sku_code" and row.get(c)
            )
        groups.setdefault(code_key(code), []).append(row)
    result = tuple(
        ProductGroup(rows[0].get("product_code"), tuple(rows)) for rows in groups.values()
    )
    for group in result:
        errors.extend(_disagreements(group, PRODUCT_COLUMNS))
    errors.extend(_repeated(result, "sku_code", code_key))
    errors.extend(_repeated(result, "barcode", lambda v: v.upper()))
    return Grouping(result, tuple(errors))


def _disagreements(group: ProductGroup, columns: Iterable[str]) -> list[RowError]:
    first = group.rows[0]
    return [
        RowError(row.number, column, "conflicts_with_row", {"row": first.number})
        for row in group.rows[1:]
        for column in columns
        if column in row.values and row.get(column) and row.get(column) != first.get(column)
    ]


def _repeated(
    groups: Iterable[ProductGroup], column: str, key: Callable[[str], str]
) -> list[RowError]:
    seen: dict[str, list[int]] = {}
    for group in groups:
        for row in group.rows:
            if row.get(column):
                seen.setdefault(key(row.get(column)), []).append(row.number)
    return [
        RowError(number, column, "duplicate", {"rows": numbers})
        for numbers in seen.values()
        if len(numbers) > 1
        for number in numbers
    ]


@dataclass(frozen=True)
class ImportContext:
    """What the application looked up for the file, keyed the way the domain compares."""

    currency: str
    product_types: Sequence[ProductType]
    category_ids: Mapping[str, UUID]  # category_path_key(names) → id
    brand_ids: Mapping[str, UUID]  # name_key(name) → id
    existing: Mapping[str, Product]  # code_key(product code) → products the file names
    sku_owners: Mapping[str, str]  # code_key(SKU code) → code of the product holding it
    new_id: Callable[[], UUID]


@dataclass(frozen=True)
class PlannedProduct:
    """A product the file creates or updates, validated. Applying it:
    ``Product.create_validated`` with ``content`` (new) or ``revise`` then
    ``change_lifecycle`` (existing); no diff, no version."""

    product_code: str
    existing: Product | None
    product: ProductInput
    skus: tuple[SkuInput, ...]
    product_type: ProductType | None
    lifecycle: Lifecycle | None  # None: as it is (new products: new)
    rows: tuple[int, ...]
    content: tuple[ProductDetails, tuple[Sku, ...]]  # validate_content(product, skus, …)


@dataclass(frozen=True)
class ImportPlan:
    products: tuple[PlannedProduct, ...]  # the valid products only
    errors: tuple[RowError, ...]  # every error, by row
    rejected: tuple[str, ...]  # product codes with at least one error


def plan_import(layout: Layout, grouping: Grouping, context: ImportContext) -> ImportPlan:
    errors = list(grouping.errors)
    bad_rows = {e.row for e in errors}
    products: list[PlannedProduct] = []
    rejected: list[str] = []
    for group in grouping.groups:
        planned, group_errors = plan_product(layout, group, context)
        errors.extend(group_errors)
        if planned is None or group_errors or any(r.number in bad_rows for r in group.rows):
            rejected.append(group.product_code)
        else:
            products.append(planned)
    errors.sort(key=lambda e: (e.row, e.column or "", e.code))
    return ImportPlan(tuple(products), tuple(errors), tuple(rejected))


class _Cells:
    """Typed reads of one group's cells; errors become RowErrors of the group."""

    def __init__(self, layout: Layout, group: ProductGroup) -> None:
        self.layout = layout
        self.group = group
        self.errors: list[RowError] = []

    def product(self, column: str) -> str | None:
        """None: the column is absent (keep the stored value)."""
        return self.group.rows[0].get(column) if self.layout.has(column) else None

    def boolean(self, row: Row, column: str, current: bool) -> bool:
        if not self.layout.has(column):
            return current
        text = row.get(column)
        if not text:
            return False
        flag = parse_boolean(text)
        if flag is None:
            self.errors.append(RowError(row.number, column, "invalid_boolean"))
            return current
        return flag

    def decimal(self, row: Row, column: str, current: Decimal | None) -> Decimal | None:
        if not self.layout.has(column):
            return current
        text = row.get(column)
        if not text:
            return None
        number = to_decimal(text)
        if number is None:
            self.errors.append(RowError(row.number, column, "invalid_number"))
            return current
        return number

    def choice(self, column: str, allowed: Sequence[str]) -> str | None:
        text = self.product(column)
        if not text:
            return None
        if text.lower() not in allowed:
            self.errors.append(
                RowError(
                    self.group.first_row,
                    column,
                    "invalid_choice",
                    {"allowed": [str(a) for a in allowed]},
                )
            )
            return None
        return text.lower()


def plan_product(
    layout: Layout, group: ProductGroup, context: ImportContext
) -> tuple[PlannedProduct | None, list[RowError]]:
    existing = context.existing.get(code_key(group.product_code))
    cells = _Cells(layout, group)
    first = group.rows[0]
    if existing is not None and existing.archived:
        return None, [
            RowError(
                first.number, "product_code", "product_archived", {"product_code": existing.code}
            )
        ]
    current, current_skus = existing.as_input() if existing else (ProductInput(name=""), [])
    product_type = _product_type(cells, context, existing)
    material = cells.product("material")
    product = replace(
        current,
        name=_keep(cells.product("product_name"), current.name),
        description=_keep(cells.product("description"), current.description),
        material=current.material if material is None else material,
        kind=ProductKind(cells.choice("kind", list(ProductKind)) or current.kind)
        if layout.has("kind")
        else current.kind,
        preorder_allowed=cells.boolean(first, "preorder_allowed", current.preorder_allowed),
        sell_out_of_stock_allowed=cells.boolean(
            first, "sell_out_of_stock_allowed", current.sell_out_of_stock_allowed
        ),
        category_id=_category(cells, context, current.category_id),
        brand_id=_brand(cells, context, current.brand_id),
        attributes=_specifications(cells, product_type, current.attributes),
    )
    lifecycle = _lifecycle(cells, existing)
    skus, sku_rows = _skus(cells, context, product_type, existing, current_skus)
    if cells.errors:
        return None, cells.errors
    check = FieldChecks()
    content = validate_content(product, skus, product_type, context.currency, check)
    errors = [_locate(e.field, e.code, e.params, first.number, sku_rows) for e in check.errors]
    if errors:
        return None, errors
    return (
        PlannedProduct(
            group.product_code,
            existing,
            product,
            tuple(skus),
            product_type,
            lifecycle,
            tuple(r.number for r in group.rows),
            content,
        ),
        [],
    )


def _keep(value: str | None, current: str) -> str:
    return current if value is None else value


def _named(
    cells: _Cells,
    column: str,
    current: T | None,
    find: Callable[[str], T | None],
    unknown: tuple[str, str],
) -> T | None:
    """A cell naming another entity: absent keeps ``current``, empty clears it; a name
    ``find`` does not know is the row's error ``unknown`` (its code, and the parameter
    naming the cell's text)."""
    text = cells.product(column)
    if text is None:
        return current
    if not text:
        return None
    found = find(text)
    if found is None:
        code, param = unknown
        cells.errors.append(RowError(cells.group.first_row, column, code, {param: text}))
    return found


def _product_type(
    cells: _Cells, context: ImportContext, existing: Product | None
) -> ProductType | None:
    current_id = existing.details.product_type_id if existing else None
    current = next((t for t in context.product_types if t.id == current_id), None)

    def find(name: str) -> ProductType | None:
        return next((t for t in context.product_types if name_key(t.name) == name_key(name)), None)

    return _named(cells, "product_type", current, find, ("unknown_product_type", "name"))


def _category(cells: _Cells, context: ImportContext, current: UUID | None) -> UUID | None:
    def find(path: str) -> UUID | None:
        return context.category_ids.get(category_path_key(split_category_path(path)))

    return _named(cells, "category", current, find, ("unknown_category", "path"))


def _brand(cells: _Cells, context: ImportContext, current: UUID | None) -> UUID | None:
    def find(name: str) -> UUID | None:
        return context.brand_ids.get(name_key(name))

    return _named(cells, "brand", current, find, ("unknown_brand", "name"))


def _lifecycle(cells: _Cells, existing: Product | None) -> Lifecycle | None:
    text = cells.choice("lifecycle", list(Lifecycle))
    if text is None:
        return None
    target = Lifecycle(text)
    if (
        existing is not None
        and target is not existing.lifecycle
        and target not in LIFECYCLE_TRANSITIONS[existing.lifecycle]
    ):
        cells.errors.append(
            RowError(
                cells.group.first_row,
                "lifecycle",
                "lifecycle_transition_not_allowed",
                {"current": str(existing.lifecycle), "requested": str(target)},
            )
        )
    return target


def _specifications(
    cells: _Cells, product_type: ProductType | None, current: Mapping[str, object]
) -> dict[str, object]:
    """Per-product ``attr.`` columns: every code but the type's axes. Values of codes the
    type does not know are left to the domain's ``unknown_attribute``."""
    axes = {a.code for a in product_type.axes} if product_type else set()
    values = dict(current)
    for code in cells.layout.attribute_codes:
        if code in axes:
            continue
        column = attribute_column(code)
        cells.errors.extend(_disagreements(cells.group, [column]))
        text = cells.product(column)
        if text:
            values[code] = text
        else:
            values.pop(code, None)
    return values


def _skus(
    cells: _Cells,
    context: ImportContext,
    product_type: ProductType | None,
    existing: Product | None,
    current: list[SkuInput],
) -> tuple[list[SkuInput], list[int | None]]:
    """The product's SKUs after the file: stored ones (updated where the file names them)
    in their order, then new ones in file order; and the file row of each (None: not in
    the file)."""
    by_key = {code_key(sku.code): i for i, sku in enumerate(current)}
    skus: list[SkuInput] = list(current)
    rows: list[int | None] = [None] * len(current)
    axes = [a.code for a in product_type.axes] if product_type else []
    own_code = code_key(cells.group.product_code)
    for row in cells.group.sku_rows:
        code = row.get("sku_code")
        key = code_key(code)
        owner = context.sku_owners.get(key)
        if key not in by_key and owner is not None and code_key(owner) != own_code:
            cells.errors.append(
                RowError(
                    row.number, "sku_code", "sku_belongs_to_other_product", {"product_code": owner}
                )
            )
            continue
        if key in by_key:
            position = by_key[key]
            base = skus[position]
        else:
            position = len(skus)
            base = SkuInput(id=context.new_id(), code=code)
            skus.append(base)
            rows.append(None)
            by_key[key] = position
        axis_values = dict(base.axis_values)
        for axis in axes:
            if cells.layout.has(attribute_column(axis)):
                text = row.get(attribute_column(axis))
                if text:
                    axis_values[axis] = text
                else:
                    axis_values.pop(axis, None)
        barcode = row.get("barcode") if cells.layout.has("barcode") else base.barcode
        skus[position] = replace(
            base,
            code=code,
            barcode=barcode or None,
            list_price=cells.decimal(row, "list_price", base.list_price),
            cost=cells.decimal(row, "cost", base.cost),
            weight_grams=cells.decimal(row, "weight_grams", base.weight_grams),
            axis_values=axis_values,
            archived=cells.boolean(row, "sku_archived", base.archived),
        )
        rows[position] = row.number
    return skus, rows


def _locate(
    path: str, code: str, params: Mapping[str, Any], first_row: int, sku_rows: list[int | None]
) -> RowError:
    """A domain field error, at its row and column."""
    found = _SKU_PATH.match(path)
    if found is not None:
        index, field_name, attribute = found.groups()
        row = sku_rows[int(index)] or first_row
        if field_name == "axisValues":
            column = attribute_column(attribute) if attribute else None
        else:
            column = _SKU_FIELD_COLUMNS.get(field_name or "code")
        return RowError(row, column, code, params)
    if path.startswith("attributes."):
        return RowError(first_row, attribute_column(path.removeprefix("attributes.")), code, params)
    if path == "skus":
        return RowError(first_row, "sku_code", code, params)
    return RowError(first_row, _PRODUCT_FIELD_COLUMNS.get(path), code, params)
