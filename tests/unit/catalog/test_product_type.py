"""Product types (CAT-5): attribute definitions and the canonical values they accept."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from domain.catalog.checks import FieldChecks
from domain.catalog.product_type import (
    MAX_VARIANT_AXES,
    AttributeDefinition,
    AttributeKind,
    ProductType,
)
from domain.shared.errors import ValidationFailed
from tests.unit.catalog.test_builders import COLOR, apparel_type


def _type_errors(*attributes: AttributeDefinition, name: str = "T") -> set[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as caught:
        ProductType.create(uuid.uuid4(), name, list(attributes))
    return {(e.field, e.code) for e in caught.value.errors}


def test_definitions_are_checked_with_their_paths() -> None:
    assert _type_errors(
        AttributeDefinition("Color", "颜色", AttributeKind.ENUM, allowed_values=("红",)),
        AttributeDefinition("size", "", AttributeKind.ENUM),
        AttributeDefinition("size", "尺码", AttributeKind.TEXT, unit="cm", allowed_values=("x",)),
        AttributeDefinition("dup", "重复", AttributeKind.ENUM, allowed_values=("A", "a ")),
        name=" ",
    ) == {
        ("name", "required"),
        ("attributes[0].code", "invalid_attribute_code"),
        ("attributes[1].name", "required"),
        ("attributes[1].allowedValues", "required"),
        ("attributes[2].code", "duplicate"),
        ("attributes[2].unit", "not_applicable"),
        ("attributes[2].allowedValues", "not_applicable"),
        ("attributes[3].allowedValues[1]", "duplicate"),
    }


def test_at_most_five_variant_axes() -> None:
    axes = [
        AttributeDefinition(f"a{i}", f"轴{i}", AttributeKind.BOOLEAN, variant_axis=True)
        for i in range(MAX_VARIANT_AXES + 1)
    ]
    assert _type_errors(*axes) == {("attributes", "too_many_variant_axes")}
    ProductType.create(uuid.uuid4(), "T", axes[:MAX_VARIANT_AXES])


def test_values_are_canonical() -> None:
    check = FieldChecks()
    number = AttributeDefinition("w", "重", AttributeKind.NUMBER, unit="g")
    flag = AttributeDefinition("f", "标", AttributeKind.BOOLEAN)
    assert number.value(check, "w", "12.50") == Decimal("12.5")
    assert number.value(check, "w", "１２") == Decimal(12)  # full-width digits
    assert number.value(check, "w", 3) == Decimal(3)
    assert flag.value(check, "f", "是") is True
    assert flag.value(check, "f", "FALSE") is False
    assert COLOR.value(check, "c", " blue ") == "Blue"
    assert COLOR.value(check, "c", "   ") is None
    assert not check.errors
    for raw in ("1e3", "1,000", "NaN", 1.5, "12.1234567"):
        number.value(check, "w", raw)
    flag.value(check, "f", "maybe")
    COLOR.value(check, "c", "绿色")
    assert [e.code for e in check.errors] == [
        "invalid_number",
        "invalid_number",
        "invalid_number",
        "invalid_number",
        "too_many_decimal_places",
        "invalid_boolean",
        "value_not_allowed",
    ]
    assert check.errors[-1].params == {"allowed": ["红色", "Blue", "黑色"]}


def test_axis_values_need_exactly_the_axes() -> None:
    check = FieldChecks()
    values = apparel_type().axis_values(
        check, "skus[0].axisValues", {"color": "黑色", "fabric": "棉", "shape": "圆"}
    )
    assert values == {"color": "黑色"}
    assert {(e.field, e.code) for e in check.errors} == {
        ("skus[0].axisValues.fabric", "attribute_not_variant_axis"),
        ("skus[0].axisValues.shape", "unknown_attribute"),
        ("skus[0].axisValues.size", "required"),
    }


def test_revise_reports_changed_fields() -> None:
    product_type = apparel_type()
    assert product_type.revise(product_type.name, product_type.attributes) == ()
    assert product_type.revise("服饰", product_type.attributes[:2]) == ("name", "attributes")
    assert product_type.version == 2
