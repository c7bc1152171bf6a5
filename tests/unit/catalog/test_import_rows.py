"""Bulk import and export (CAT-2): formula escaping, export → import unchanged, per-row
errors and all-or-nothing products."""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from domain.catalog.category import category_path_key
from domain.catalog.checks import name_key
from domain.catalog.codes import code_key
from domain.catalog.export_rows import export_rows
from domain.catalog.file_layout import (
    COLUMNS,
    FORMULA_TRIGGERS,
    escape_cell,
    export_header,
    read_header,
    unescape_cell,
)
from domain.catalog.import_rows import ImportContext, ImportPlan, group_rows, plan_import
from domain.catalog.product import Lifecycle, Product
from domain.shared.file_rows import RowError
from tests.unit.catalog.test_builders import CURRENCY, LATER, apparel_type, sku, tee

CATEGORY = uuid.uuid4()
BRAND = uuid.uuid4()
ATTRIBUTES = ["capacity", "color", "fabric", "size", "waterproof"]


@given(st.text())
def test_escaping_round_trips_any_string(value: str) -> None:
    """Formula escaping: import restores every exported value exactly, and no exported cell
    begins with a formula trigger."""
    escaped = escape_cell(value)
    assert unescape_cell(escaped) == value
    assert not escaped.startswith(FORMULA_TRIGGERS)


def test_formula_looking_cells_are_escaped() -> None:
    assert [escape_cell(v) for v in ("=1+1", "+86", "-5", "@SUM", "\tx", "'quoted", "ok")] == [
        "'=1+1",
        "'+86",
        "'-5",
        "'@SUM",
        "'\tx",
        "''quoted",
        "ok",
    ]


def _context(*existing: Product, owners: dict[str, str] | None = None) -> ImportContext:
    return ImportContext(
        currency=CURRENCY,
        product_types=[apparel_type()],
        category_ids={category_path_key(["服装", "男装"]): CATEGORY},
        brand_ids={name_key("优衣库"): BRAND},
        existing={code_key(p.code): p for p in existing},
        sku_owners=owners or {},
        new_id=uuid.uuid4,
    )


def _export(product: Product, include_cost: bool = True) -> list[list[str]]:
    header = export_header(ATTRIBUTES, include_cost=include_cost)
    rows = export_rows(
        product,
        product_type=apparel_type(),
        category_path=["服装", "男装"] if product.details.category_id == CATEGORY else [],
        brand_name="优衣库" if product.details.brand_id == BRAND else None,
        attribute_codes=ATTRIBUTES,
        include_cost=include_cost,
    )
    return [header, *rows]


def _plan(table: list[list[str]], context: ImportContext) -> ImportPlan:
    layout, errors = read_header(table[0])
    assert errors == []
    return plan_import(layout, group_rows(layout, table[1:]), context)


def _apply(plan: ImportPlan, product: Product) -> list[Any]:
    [planned] = plan.products
    changes = list(
        product.revise(planned.product, planned.skus, planned.product_type, CURRENCY, LATER)
    )
    if planned.lifecycle is not None:
        changes += product.change_lifecycle(planned.lifecycle, LATER)
    return changes


def _awkward_product() -> Product:
    product = tee(
        [
            sku(
                "TEE-RED-M",
                barcode="4006381333931",
                cost=Decimal("35.5"),
                weight_grams=Decimal("180.25"),
            ),
            sku("TEE-RED-L", size="L", price=None),
            sku("TEE-BLUE-S", color="Blue", size="S", archived=True),
        ],
        description='=HYPERLINK("http://x")\n第二行',
        material="'棉",
        attributes={"fabric": "-纯棉-", "capacity": "12.50", "waterproof": "true"},
        category_id=CATEGORY,
        brand_id=BRAND,
    )
    product.launch(LATER)
    return product


def test_an_export_re_imports_unchanged() -> None:
    """Round trip: every value, including formula-looking ones, archived SKUs and numbers,
    comes back the same — no change, so no version, audit record or event."""
    product = _awkward_product()
    table = _export(product)
    assert table[1][COLUMNS.index("description")].startswith("'=")
    plan = _plan(table, _context(product))
    assert plan.errors == () and plan.rejected == ()
    before = product.snapshot()
    assert _apply(plan, product) == []
    assert product.snapshot() == before and product.version == 2


def test_an_export_without_costs_leaves_costs_alone() -> None:
    product = _awkward_product()
    table = _export(product, include_cost=False)
    assert "cost" not in table[0]
    assert _apply(_plan(table, _context(product)), product) == []
    assert product.skus[0].cost is not None


def test_an_edited_export_changes_exactly_the_edited_cells() -> None:
    product = _awkward_product()
    table = _export(product)
    price = table[0].index("list_price")
    table[1][price] = "89.00"
    table[2][table[0].index("product_name")] = ""  # continuation rows may leave it blank
    changes = _apply(_plan(table, _context(product)), product)
    assert [(c.field, c.before, c.after) for c in changes] == [
        ("skus[TEE-RED-M].listPrice", "99.00", "89.00")
    ]


def _new_product_rows() -> list[list[str]]:
    header = [
        "product_code",
        "product_name",
        "sku_code",
        "list_price",
        "attr.color",
        "attr.size",
        "attr.fabric",
        "product_type",
        "lifecycle",
    ]
    rows = [
        ["NEW-1", "新品", "NEW-1-RED-S", "10", "红色", "S", "棉", "服装", "active"],
        ["NEW-1", "", "NEW-1-RED-M", "10", "红色", "M", "", "", ""],
        ["NEW-2", "坏品", "NEW-2-A", "1.234", "红色", "S", "棉", "服装", ""],
        ["NEW-2", "坏品", "NEW-2-B", "1", "红色", "M", "棉", "服装", ""],
    ]
    return [header, *rows]


def test_a_bad_row_rejects_its_whole_product_and_only_that() -> None:
    """All or nothing per product: NEW-2's one bad row (row 4) rejects both its rows; NEW-1
    is planned; the error names the row, the column and the code."""
    plan = _plan(_new_product_rows(), _context())
    assert [p.product_code for p in plan.products] == ["NEW-1"]
    assert plan.rejected == ("NEW-2",)
    assert plan.errors == (RowError(4, "list_price", "too_many_decimal_places", {"max": 2}),)
    [planned] = plan.products
    created = Product.create(
        uuid.uuid4(),
        planned.product_code,
        planned.product,
        planned.skus,
        planned.product_type,
        CURRENCY,
        LATER,
        planned.lifecycle or Lifecycle.NEW,
    )
    assert [s.code for s in created.skus] == ["NEW-1-RED-S", "NEW-1-RED-M"]
    assert created.lifecycle is Lifecycle.ACTIVE and created.details.attributes == {"fabric": "棉"}


def test_structural_errors() -> None:
    layout, errors = read_header(["sku_code", "colour", "sku_code", "attr.Bad"])
    assert {(e.row, e.column, e.code) for e in errors} == {
        (1, "colour", "unknown_column"),
        (1, "sku_code", "duplicate"),
        (1, "attr.Bad", "unknown_column"),
        (1, "product_code", "required"),
    }
    layout, _ = read_header(["product_code", "product_name", "sku_code", "barcode", "list_price"])
    grouping = group_rows(
        layout,
        [
            ["P1", "甲", "S1", "SHOP-1", "1"],
            ["", "", "", "", ""],  # blank rows are skipped, but counted
            ["P1", "乙", "s1", "", "1"],
            ["", "丙", "S3", "", "1"],
            ["P2", "丁", "S4", "shop-1", "1", "extra"],
            ["P3", "戊", "", "", "5"],
        ],
    )
    assert {(e.row, e.column, e.code) for e in grouping.errors} == {
        (4, "product_name", "conflicts_with_row"),
        (2, "sku_code", "duplicate"),
        (4, "sku_code", "duplicate"),
        (5, "product_code", "required"),
        (6, None, "too_many_cells"),
        (2, "barcode", "duplicate"),
        (6, "barcode", "duplicate"),
        (7, "list_price", "requires_sku_code"),
    }
    assert next(e for e in grouping.errors if e.row == 4 and e.code == "duplicate").params == {
        "rows": [2, 4]
    }


def test_references_and_ownership_are_checked() -> None:
    product = tee()
    header = [
        "product_code",
        "product_name",
        "sku_code",
        "product_type",
        "category",
        "brand",
        "lifecycle",
        "kind",
        "preorder_allowed",
        "weight_grams",
    ]
    plan = _plan(
        [
            header,
            [
                "TEE",
                "T",
                "TEE-RED-M",
                "鞋",
                "服装 > 女装",
                "无印",
                "phasing_out",
                "digital",
                "maybe",
                "x",
            ],
            ["OTHER", "O", "TEE-RED-L", "", "", "", "", "", "", ""],
        ],
        _context(product, owners={code_key("TEE-RED-L"): "TEE"}),
    )
    assert {(e.row, e.column, e.code) for e in plan.errors} == {
        (2, "product_type", "unknown_product_type"),
        (2, "category", "unknown_category"),
        (2, "brand", "unknown_brand"),
        (2, "lifecycle", "lifecycle_transition_not_allowed"),
        (2, "kind", "invalid_choice"),
        (2, "preorder_allowed", "invalid_boolean"),
        (2, "weight_grams", "invalid_number"),
        (3, "sku_code", "sku_belongs_to_other_product"),
    }
    assert plan.products == () and set(plan.rejected) == {"TEE", "OTHER"}


def test_archived_products_are_refused_and_domain_errors_land_on_their_rows() -> None:
    archived = tee()
    archived.archive(LATER)
    plan = _plan([["product_code", "sku_code"], ["TEE", "TEE-RED-M"]], _context(archived))
    assert [(e.row, e.column, e.code) for e in plan.errors] == [
        (2, "product_code", "product_archived")
    ]

    product = tee()
    plan = _plan(
        [
            ["product_code", "sku_code", "attr.size", "barcode", "attr.fabric"],
            ["TEE", "TEE-RED-M", "XXL", "", ""],
            ["TEE", "TEE-NEW", "S", "123", ""],
        ],
        _context(product),
    )
    assert {(e.row, e.column, e.code) for e in plan.errors} == {
        (2, "attr.size", "value_not_allowed"),
        (2, "attr.fabric", "required"),
        (3, "attr.color", "required"),
    }


def test_a_product_without_skus_round_trips_as_one_row() -> None:
    product = replace(tee([]), events=[])
    table = _export(product)
    assert len(table) == 2 and table[1][COLUMNS.index("sku_code")] == ""
    assert _apply(_plan(table, _context(product)), product) == []
