"""The import's set-based writes (CAT-2): hand-written SQL, generated from the tables.

A batch of 2,000 products is written with one statement per kind of row, each an
``INSERT ... SELECT`` (or ``UPDATE ... FROM``) over ``unnest`` of one array a column, in
the batch's order (``WITH ORDINALITY``): one execution and one plan a batch instead of one
a row (measured: bench/catalog_import.py, bench/README.md). That is why they are SQL — Core
has no form of its own for it. Their column lists and array types are read from the
tables (``tables.py``), so a column is still described once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Table, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import JSONB

from adapters.postgres.catalog.product_rows import PRODUCT_UPDATED, SKU_UPDATED
from adapters.postgres.catalog.tables import product_search_terms, product_versions, products, skus

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


def _array_type(column: Column[Any]) -> str:
    # jsonb travels as text (one JSON document a cell) and is cast where it is written;
    # no precision on the elements (``numeric``, not ``numeric(14, 2)``): the column
    # applies its own when the row is written.
    if isinstance(column.type, JSONB):
        return "text[]"
    return column.type.compile(_DIALECT).partition("(")[0] + "[]"


def _cell(column: Column[Any]) -> str:
    return (
        f"CAST(v.{column.name} AS jsonb)" if isinstance(column.type, JSONB) else f"v.{column.name}"
    )


def _rows(table: Table, names: Sequence[str], *, ordered: bool = True) -> str:
    """The batch's rows from one array parameter a column (named as the column)."""
    arrays = ", ".join(f"CAST(:{n} AS {_array_type(table.c[n])})" for n in names)
    ordinality = " WITH ORDINALITY" if ordered else ""
    return f"unnest({arrays}){ordinality} AS v({', '.join(names)}{', n' if ordered else ''})"


def _insert_rows(table: Table, names: Sequence[str], *, ordered: bool = True) -> str:
    """``INSERT ... SELECT`` of the batch's rows (in the batch's order when ``ordered``)."""
    return (
        f"INSERT INTO {table.name} (tenant_id, {', '.join(names)})"
        f" SELECT CAST(:tenant_id AS uuid), {', '.join(_cell(table.c[n]) for n in names)}"
        f" FROM {_rows(table, names, ordered=ordered)}{' ORDER BY v.n' if ordered else ''}"
    )


def column_arrays(
    table: Table, names: Sequence[str], rows: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """The rows' values as one array a column (jsonb as JSON text)."""
    arrays: dict[str, Any] = {}
    for name in names:
        values = [row[name] for row in rows]
        if isinstance(table.c[name].type, JSONB):
            values = [json.dumps(v, ensure_ascii=False) for v in values]
        arrays[name] = values
    return arrays


PRODUCT_FIELDS = [c.name for c in products.c if c.name != "tenant_id"]
SKU_FIELDS = [c.name for c in skus.c if c.name != "tenant_id"]
VERSION_FIELDS = ["product_id", "number", "snapshot", "changes", "actor", "at"]
TERM_FIELDS = ["term", "product_id"]

INSERT_PRODUCTS = text(_insert_rows(products, PRODUCT_FIELDS))
# The optimistic check of every updated product: one changed since the plan (it cannot
# be while the commit holds its lock) fails the whole commit.
UPDATE_PRODUCTS = text(
    f"UPDATE products p SET {', '.join(f'{n} = {_cell(products.c[n])}' for n in PRODUCT_UPDATED)}"
    f" FROM {_rows(products, PRODUCT_FIELDS)},"
    " unnest(CAST(:expected AS integer[])) WITH ORDINALITY AS e(expected, n)"
    " WHERE e.n = v.n AND p.tenant_id = :tenant_id AND p.id = v.id AND p.version = e.expected"
)
UPSERT_SKUS = text(
    _insert_rows(skus, SKU_FIELDS)
    + " ON CONFLICT (tenant_id, id) DO UPDATE SET "
    + ", ".join(f"{n} = EXCLUDED.{n}" for n in SKU_UPDATED)
    + " WHERE skus.product_id = EXCLUDED.product_id"  # a SKU never moves to another product
)
INSERT_VERSIONS = text(_insert_rows(product_versions, VERSION_FIELDS))
# In the order prepared (the primary key's): no ordinality to sort by.
INSERT_TERMS = text(_insert_rows(product_search_terms, TERM_FIELDS, ordered=False))
