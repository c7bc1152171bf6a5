"""SKU matrix generation (CAT-5): count, uniqueness, the cap, order and idempotence."""

from __future__ import annotations

import itertools
import math
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.catalog.codes import code_key
from domain.catalog.product import Product, ProductInput
from domain.catalog.product_type import AttributeDefinition, AttributeKind, ProductType
from domain.catalog.sku_matrix import (
    MAX_COMBINATIONS,
    SkuMatrix,
    generate_sku_matrix,
    matrix_sku_inputs,
    value_slug,
)
from domain.shared.errors import ValidationFailed
from tests.unit.catalog.test_builders import AT, CURRENCY, LATER

VALUES = [f"V{i:03d}" for i in range(200)]


def _type(axis_sizes: list[int]) -> ProductType:
    return ProductType.create(
        uuid.UUID(int=7),
        "T",
        [
            AttributeDefinition(
                f"axis{a}",
                f"轴{a}",
                AttributeKind.ENUM,
                variant_axis=True,
                allowed_values=tuple(VALUES[:size]),
            )
            for a, size in enumerate(axis_sizes)
        ],
    )


def _empty_product(product_type: ProductType) -> Product:
    return Product.create(
        uuid.uuid4(), "BASE", ProductInput(name="P"), [], product_type, CURRENCY, AT
    )


def _apply(product: Product, product_type: ProductType, matrix: SkuMatrix) -> None:
    skus = matrix_sku_inputs(product.skus, matrix, [uuid.uuid4() for _ in matrix.new_rows])
    details, _ = product.as_input()
    product.revise(details, skus, product_type, CURRENCY, LATER)


axis_counts = st.lists(st.integers(1, 5), min_size=0, max_size=4)  # at most 625 rows


@settings(deadline=None)
@given(axis_counts, st.randoms(use_true_random=False))
def test_matrix_is_the_cartesian_product_with_unique_codes(counts: list[int], rnd: object) -> None:
    """Count = product of value counts; combinations are exactly the cartesian product,
    each once; generated codes are unique (case-insensitively) — whatever order the values
    are chosen in, the matrix is the same."""
    product_type = _type([6] * len(counts))
    chosen = {f"axis{a}": VALUES[:n] for a, n in enumerate(counts)}
    shuffled = {k: rnd.sample(v, len(v)) for k, v in chosen.items()}  # type: ignore[attr-defined]
    matrix = generate_sku_matrix(product_type, chosen, "BASE")
    assert len(matrix.rows) == math.prod(counts)
    combos = [tuple(row.axis_values[f"axis{a}"] for a in range(len(counts))) for row in matrix.rows]
    assert combos == list(itertools.product(*chosen.values()))
    assert len({code_key(row.code) for row in matrix.rows}) == len(matrix.rows)
    assert all(row.sku_id is None for row in matrix.rows) and matrix.retired == ()
    assert generate_sku_matrix(product_type, shuffled, "BASE") == matrix


@settings(deadline=None, max_examples=60)
@given(st.lists(st.integers(1, 200), min_size=1, max_size=5))
def test_cap_is_enforced_exactly_at_the_boundary(counts: list[int]) -> None:
    """Cap: up to MAX_COMBINATIONS combinations are generated, one more is refused with the
    count asked for and the cap."""
    product_type = _type(counts)
    chosen = {f"axis{a}": VALUES[:n] for a, n in enumerate(counts)}
    size = math.prod(counts)
    if size <= MAX_COMBINATIONS:
        assert len(generate_sku_matrix(product_type, chosen, "BASE").rows) == size
    else:
        with pytest.raises(ValidationFailed) as caught:
            generate_sku_matrix(product_type, chosen, "BASE")
        [error] = caught.value.errors
        assert (error.field, error.code, error.params) == (
            "axes",
            "sku_matrix_too_large",
            {"count": size, "max": MAX_COMBINATIONS},
        )


@pytest.mark.parametrize(("counts", "allowed"), [([10, 10, 10], True), ([7, 11, 13], False)])
def test_cap_boundary_examples(counts: list[int], allowed: bool) -> None:
    """1,000 = 10·10·10 is the largest matrix; 1,001 = 7·11·13 is refused."""
    chosen = {f"axis{a}": VALUES[:n] for a, n in enumerate(counts)}
    if allowed:
        assert len(generate_sku_matrix(_type(counts), chosen, "BASE").rows) == 1000
    else:
        with pytest.raises(ValidationFailed):
            generate_sku_matrix(_type(counts), chosen, "BASE")


@settings(deadline=None, max_examples=40)
@given(axis_counts.filter(lambda c: len(c) > 0), st.data())
def test_regenerating_is_idempotent_and_keeps_skus(counts: list[int], data: st.DataObject) -> None:
    """Idempotence: applying a matrix and generating it again creates nothing, retires
    nothing and keeps every id and code. Deselecting a value retires its SKUs (archived,
    kept); selecting it again revives the same SKUs."""
    product_type = _type([6] * len(counts))
    chosen = {f"axis{a}": VALUES[:n] for a, n in enumerate(counts)}
    product = _empty_product(product_type)
    first = generate_sku_matrix(product_type, chosen, "BASE")
    _apply(product, product_type, first)
    again = generate_sku_matrix(product_type, chosen, "BASE", product.skus)
    assert again.new_rows == () and again.retired == ()
    assert [(r.code, r.axis_values) for r in again.rows] == [
        (r.code, r.axis_values) for r in first.rows
    ]
    assert [r.sku_id for r in again.rows] == [s.id for s in product.active_skus]
    details, _ = product.as_input()
    assert (
        product.revise(
            details, matrix_sku_inputs(product.skus, again, []), product_type, CURRENCY, LATER
        )
        == ()
    )

    axis = data.draw(st.integers(0, len(counts) - 1))
    if counts[axis] > 1:
        fewer = {**chosen, f"axis{axis}": chosen[f"axis{axis}"][:-1]}
        narrowed = generate_sku_matrix(product_type, fewer, "BASE", product.skus)
        assert len(narrowed.retired) == len(first.rows) - len(narrowed.rows)
        ids_before = {s.id: s.code for s in product.skus}
        _apply(product, product_type, narrowed)
        assert {s.id: s.code for s in product.skus} == ids_before  # nothing deleted
        back = generate_sku_matrix(product_type, chosen, "BASE", product.skus)
        assert back.new_rows == ()
        assert sum(r.revived for r in back.rows) == len(narrowed.retired)


def test_value_order_follows_the_type_not_the_request() -> None:
    product_type = ProductType.create(
        uuid.uuid4(),
        "T",
        [
            AttributeDefinition(
                "size",
                "尺码",
                AttributeKind.ENUM,
                variant_axis=True,
                allowed_values=("S", "M", "L"),
            ),
            AttributeDefinition("gift", "礼盒", AttributeKind.BOOLEAN, variant_axis=True),
            AttributeDefinition("volume", "容量", AttributeKind.NUMBER, variant_axis=True),
        ],
    )
    matrix = generate_sku_matrix(
        product_type,
        {"size": ["l", "S", "L"], "gift": ["否", "是"], "volume": ["500", "50.0"]},
        "CUP",
    )
    assert [r.code for r in matrix.rows] == [
        "CUP-S-TRUE-50",
        "CUP-S-TRUE-500",
        "CUP-S-FALSE-50",
        "CUP-S-FALSE-500",
        "CUP-L-TRUE-50",
        "CUP-L-TRUE-500",
        "CUP-L-FALSE-50",
        "CUP-L-FALSE-500",
    ]


def test_codes_from_slugs_positions_and_disambiguation() -> None:
    assert value_slug("红色", 1) == "01"
    assert value_slug("Ｘ Ｌ", 2) == "X-L"  # full width, NFKC
    assert value_slug("M/L", 3) == "M-L"
    assert value_slug("1.5", 4) == "1.5"
    assert value_slug("extraordinarily long", 5) == "EXTRAORDINAR"
    product_type = ProductType.create(
        uuid.uuid4(),
        "T",
        [AttributeDefinition("edition", "版本", AttributeKind.TEXT, variant_axis=True)],
    )
    matrix = generate_sku_matrix(
        product_type, {"edition": ["X L", "X-L", "典藏版", "x l"]}, "BOOK", taken_codes=["book-03"]
    )
    assert [r.code for r in matrix.rows] == ["BOOK-X-L", "BOOK-X-L-2", "BOOK-03-2", "BOOK-X-L-3"]


def test_chosen_values_are_checked() -> None:
    product_type = _type([3, 3])
    with pytest.raises(ValidationFailed) as caught:
        generate_sku_matrix(
            product_type, {"axis0": ["V000", "nope", ""], "other": ["x"]}, "bad code"
        )
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("baseCode", "invalid_code"),
        ("axes.other", "unknown_attribute"),
        ("axes.axis0[1]", "value_not_allowed"),
        ("axes.axis0[2]", "required"),
        ("axes.axis1", "required"),
    }


def test_a_type_without_axes_makes_one_sku_named_by_the_base_code() -> None:
    product_type = ProductType.create(uuid.uuid4(), "T", [])
    [row] = generate_sku_matrix(product_type, {}, "BASE").rows
    assert (row.code, dict(row.axis_values)) == ("BASE", {})
