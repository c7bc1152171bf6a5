"""The one column layout of catalog files (CAT-2), shared by CSV and XLSX, export and
import alike, so that an export re-imports unchanged; and formula-injection escaping.

Columns (``COLUMNS``, then one ``attr.<code>`` column per attribute code, sorted):

- per product — ``PRODUCT_COLUMNS``: product_code, product_name, description,
  product_type (its name), category (its path of names, ``服装 > 男装``), brand (its name),
  kind (physical | virtual), material, preorder_allowed, sell_out_of_stock_allowed
  (true | false), lifecycle (new | active | phasing_out | discontinued);
- per SKU — ``SKU_COLUMNS``: sku_code, barcode, list_price, cost, weight_grams,
  sku_archived (true | false);
- ``attr.<code>``: a specification of the product (per product) or, for the product
  type's variant axes, the SKU's value (per SKU).

One row per SKU, product columns repeated on each; a product without SKUs is one row with
blank SKU columns. Row numbers are the spreadsheet's: the header is row 1, the first
product row is row 2. Only product_code is a required column; the cost column is left out
of exports for readers without ``catalog:read_cost``.

Cell kinds (``column_kind``): prices, costs and weights are ``decimal``, the true/false
columns ``boolean``, every other column ``text``; an XLSX export writes numbers
and booleans as such, and import reads them back as the same text. An XLSX header cell may
carry a label line above its code (``商品编码`` newline ``product_code``): the code is its
last line.

Formula injection: an exported cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return — or with the escape mark ``'`` itself — gets a leading ``'``
(``escape_cell``). Import removes exactly one leading ``'`` from every cell
(``unescape_cell``), so ``unescape_cell(escape_cell(s)) == s`` for every string: values that
really begin with ``'`` survive the round trip, and a hand-typed leading ``'`` (the way
spreadsheet users mark text) is dropped. Both formats escape alike: the layout is one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.catalog.product_type import ATTRIBUTE_CODE

# Re-exported: the catalog's, orders' and inventory's file readers still import it from here.
from domain.shared.file_rows import RowError

PRODUCT_COLUMNS: tuple[str, ...] = (
    "product_code",
    "product_name",
    "description",
    "product_type",
    "category",
    "brand",
    "kind",
    "material",
    "preorder_allowed",
    "sell_out_of_stock_allowed",
    "lifecycle",
)
SKU_COLUMNS: tuple[str, ...] = (
    "sku_code",
    "barcode",
    "list_price",
    "cost",
    "weight_grams",
    "sku_archived",
)
COLUMNS = PRODUCT_COLUMNS + SKU_COLUMNS
ATTRIBUTE_PREFIX = "attr."
REQUIRED_COLUMNS = ("product_code",)
DECIMAL_COLUMNS = frozenset({"list_price", "cost", "weight_grams"})
BOOLEAN_COLUMNS = frozenset({"preorder_allowed", "sell_out_of_stock_allowed", "sku_archived"})
HEADER_ROW = 1

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE_MARK = "'"


# Where a domain field error lands in the file.
def escape_cell(value: str) -> str:
    return ESCAPE_MARK + value if value.startswith((*FORMULA_TRIGGERS, ESCAPE_MARK)) else value


def unescape_cell(value: str) -> str:
    return value[1:] if value.startswith(ESCAPE_MARK) else value


def attribute_column(code: str) -> str:
    return ATTRIBUTE_PREFIX + code


@dataclass(frozen=True)
class Layout:
    columns: tuple[str, ...]  # as in the file's header, in its order

    def has(self, column: str) -> bool:
        return column in self.columns

    @property
    def attribute_codes(self) -> tuple[str, ...]:
        return tuple(
            c.removeprefix(ATTRIBUTE_PREFIX) for c in self.columns if c.startswith(ATTRIBUTE_PREFIX)
        )


def export_header(attribute_codes: Iterable[str], *, include_cost: bool) -> list[str]:
    columns = [c for c in COLUMNS if include_cost or c != "cost"]
    return columns + [attribute_column(code) for code in sorted(set(attribute_codes))]


def column_kind(column: str) -> str:
    """How a column's cells are typed in a spreadsheet: decimal, boolean or text."""
    if column in DECIMAL_COLUMNS:
        return "decimal"
    return "boolean" if column in BOOLEAN_COLUMNS else "text"


def header_code(cell: str) -> str:
    """The column code of a header cell: its last line (a label may stand above it)."""
    lines = [line.strip() for line in unescape_cell(cell).splitlines() if line.strip()]
    return lines[-1].lstrip("\ufeff").strip() if lines else ""


def read_header(cells: Sequence[str]) -> tuple[Layout, list[RowError]]:
    errors: list[RowError] = []
    columns: list[str] = []
    for raw in cells:
        column = header_code(raw)
        known = column in COLUMNS or (
            column.startswith(ATTRIBUTE_PREFIX)
            and ATTRIBUTE_CODE.match(column.removeprefix(ATTRIBUTE_PREFIX)) is not None
        )
        if not known:
            errors.append(RowError(HEADER_ROW, column or None, "unknown_column"))
        elif column in columns:
            errors.append(RowError(HEADER_ROW, column, "duplicate"))
        columns.append(column)
    errors.extend(RowError(HEADER_ROW, c, "required") for c in REQUIRED_COLUMNS if c not in columns)
    return Layout(tuple(columns)), errors
