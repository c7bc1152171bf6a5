"""Products and SKUs (CAT-1): validation, barcodes, the lifecycle table (CAT-11), archiving,
diffs and events."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.catalog.codes import barcode_key, gtin_check_digit
from domain.catalog.product import (
    LIFECYCLE_TRANSITIONS,
    Lifecycle,
    Product,
    ProductKind,
    SkuInput,
)
from domain.shared.errors import Conflict, ValidationFailed
from tests.unit.catalog.test_builders import (
    AT,
    CURRENCY,
    LATER,
    apparel_type,
    sku,
    tee,
    tee_input,
)


def _errors(*skus: SkuInput, **fields: object) -> set[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as caught:
        Product.create(
            uuid.uuid4(), "TEE", tee_input(**fields), list(skus), apparel_type(), CURRENCY, AT
        )
    return {(e.field, e.code) for e in caught.value.errors}


def test_create_normalises_and_records_the_created_event() -> None:
    product = Product.create(
        uuid.uuid4(),
        "TEE-1",
        tee_input(
            name="  纯棉   T恤 ",
            description="第一行\r\n第二行  \n",
            attributes={"fabric": " 棉 ", "capacity": "500.50", "waterproof": "是"},
        ),
        [sku("tee-1-red-xl", color="红色", size="xl", weight_grams=Decimal("120.500"))],
        apparel_type(),
        CURRENCY,
        AT,
    )
    assert product.details.name == "纯棉 T恤"
    assert product.details.description == "第一行\n第二行"
    assert product.details.attributes == {
        "fabric": "棉",
        "capacity": Decimal("500.5"),
        "waterproof": True,
    }
    only = product.skus[0]
    assert only.axis_values == {"color": "红色", "size": "XL"}  # the type's spelling
    assert only.list_price is not None and only.list_price.amount == Decimal("99.00")
    snapshot = product.snapshot()
    assert snapshot["attributes"]["capacity"] == "500.5"
    assert snapshot["skus"][0]["weightGrams"] == "120.5"
    assert product.lifecycle is Lifecycle.NEW and product.version == 1
    [event] = product.events
    assert (event.event_type, event.entity_id, event.data) == (
        "product.created",
        product.id,
        {"code": "TEE-1"},
    )


def test_every_invalid_field_is_reported_with_its_path() -> None:
    assert _errors(
        sku("bad code!", price="-1"),
        sku("TEE-2", size="XXL", price="1.234", barcode="4006381333932"),
        sku("tee-3", color="Blue", price="1e3", cost=Decimal("-0.5"), barcode="AB CD"),
        name=" ",
        attributes={"fabric": "", "capacity": "abc", "unknown": "x", "color": "红色"},
    ) == {
        ("name", "required"),
        ("attributes.fabric", "required"),
        ("attributes.capacity", "invalid_number"),
        ("attributes.unknown", "unknown_attribute"),
        ("attributes.color", "attribute_is_variant_axis"),
        ("skus[0].code", "invalid_code"),
        ("skus[0].listPrice", "must_not_be_negative"),
        ("skus[1].axisValues.size", "value_not_allowed"),
        ("skus[1].listPrice", "too_many_decimal_places"),
        ("skus[1].barcode", "invalid_barcode_check_digit"),
        ("skus[2].cost", "must_not_be_negative"),
        ("skus[2].barcode", "invalid_barcode"),
    }


def test_prices_refuse_what_they_cannot_hold_exactly() -> None:
    """Amounts are never rounded silently: more places than the currency has are refused."""
    assert _errors(sku("A", price="10000000000")) == {("skus[0].listPrice", "too_large")}
    assert _errors(sku("A", price="1.001")) == {("skus[0].listPrice", "too_many_decimal_places")}
    product = tee([sku("A", price="1.10")])
    assert product.skus[0].list_price is not None
    assert str(product.skus[0].list_price.amount) == "1.10"


def test_codes_barcodes_and_combinations_are_unique_within_the_product() -> None:
    assert _errors(
        sku("TEE-1", barcode="036000291452"),
        sku("tee-1", size="L", barcode="0036000291452"),  # same code and GTIN, other case/form
        sku("TEE-3", size="M"),  # same combination as the first
    ) == {
        ("skus[1].code", "duplicate"),
        ("skus[1].barcode", "duplicate"),
        ("skus[2].axisValues", "duplicate"),
    }


def test_virtual_products_have_no_weight_and_axes_are_required() -> None:
    assert _errors(
        sku("A", weight_grams=Decimal(5)),
        SkuInput(uuid.uuid4(), "B", axis_values={"color": "Blue"}),
        kind=ProductKind.VIRTUAL,
    ) == {
        ("skus[0].weightGrams", "weight_not_allowed_for_virtual"),
        ("skus[1].axisValues.size", "required"),
    }
    assert _errors(sku("A", weight_grams=Decimal("-1"))) == {
        ("skus[0].weightGrams", "invalid_weight")
    }


def test_a_product_without_type_has_no_attributes_and_one_active_sku() -> None:
    with pytest.raises(ValidationFailed) as caught:
        Product.create(
            uuid.uuid4(),
            "P",
            tee_input(attributes={"fabric": "棉"}),
            [SkuInput(uuid.uuid4(), "P-1"), SkuInput(uuid.uuid4(), "P-2")],
            None,
            CURRENCY,
            AT,
        )
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("attributes.fabric", "unknown_attribute"),
        ("skus[1].axisValues", "second_sku_without_variants"),  # said as such, not "duplicate"
    }


@pytest.mark.parametrize(
    "barcode", ["4006381333931", "036000291452", "96385074", "10614141000415", "SHOP-0001", "A1"]
)
def test_valid_barcodes(barcode: str) -> None:
    product = tee([sku("A", barcode=barcode)])
    assert product.skus[0].barcode == barcode


@given(
    st.text(alphabet="0123456789", min_size=7, max_size=13).filter(
        lambda b: len(b) in (7, 11, 12, 13)
    )
)
def test_gtin_check_digit_catches_every_single_digit_error(body: str) -> None:
    """Invariant: a GTIN with its check digit is accepted; any other last digit is refused."""
    good = body + str(gtin_check_digit(body))
    assert tee([sku("A", barcode=good)]).skus[0].barcode == good
    for digit in "0123456789":
        if digit != good[-1]:
            assert _errors(sku("A", barcode=body + digit)) == {
                ("skus[0].barcode", "invalid_barcode_check_digit")
            }


def test_upc_a_and_its_ean_13_form_are_one_barcode() -> None:
    assert barcode_key("036000291452") == barcode_key("0036000291452")
    assert barcode_key("shop-1") == barcode_key("SHOP-1")


DOCUMENTED_TRANSITIONS = {
    ("new", "active"),
    ("new", "discontinued"),
    ("active", "phasing_out"),
    ("active", "discontinued"),
    ("phasing_out", "active"),
    ("phasing_out", "discontinued"),
    ("discontinued", "active"),
}


def test_the_lifecycle_table_is_the_documented_one() -> None:
    assert {(str(a), str(b)) for a, targets in LIFECYCLE_TRANSITIONS.items() for b in targets} == (
        DOCUMENTED_TRANSITIONS
    )
    assert all(Lifecycle.NEW not in targets for targets in LIFECYCLE_TRANSITIONS.values())


@pytest.mark.parametrize("current", list(Lifecycle))
@pytest.mark.parametrize("target", list(Lifecycle))
def test_lifecycle_transitions(current: Lifecycle, target: Lifecycle) -> None:
    """Lifecycle table: exactly the documented moves succeed; the current state again is no
    change; everything else is refused and changes nothing."""
    product = tee()
    product.lifecycle = current
    if target is current:
        assert product.change_lifecycle(target, LATER) == ()
        assert product.version == 1 and not product.events
    elif (str(current), str(target)) in DOCUMENTED_TRANSITIONS:
        changes = product.change_lifecycle(target, LATER)
        assert [(c.field, c.before, c.after) for c in changes] == [
            ("lifecycle", str(current), str(target))
        ]
        assert product.version == 2 and product.updated_at == LATER
        assert product.events[-1].changed_fields == ("lifecycle",)
    else:
        with pytest.raises(ValidationFailed) as caught:
            product.change_lifecycle(target, LATER)
        assert caught.value.errors[0].code == "lifecycle_transition_not_allowed"
        assert caught.value.errors[0].params == {"current": current, "requested": target}
        assert product.lifecycle is current and product.version == 1


def test_launch_activates_only_a_new_product() -> None:
    product = tee()
    assert [c.field for c in product.launch(LATER)] == ["lifecycle"]
    assert product.lifecycle is Lifecycle.ACTIVE
    assert product.launch(LATER) == ()


def test_revise_returns_the_diff_and_archives_omitted_skus() -> None:
    product = tee()
    red_m, red_l = product.skus
    details, _ = product.as_input()
    changes = product.revise(
        replace(details, name="纯棉短袖 T恤"),
        [replace(red_m.as_input(), list_price=Decimal("89"), code="TEE-RED-M2")],
        apparel_type(),
        CURRENCY,
        LATER,
    )
    assert {(c.field, c.before, c.after) for c in changes} == {
        ("name", "纯棉 T恤", "纯棉短袖 T恤"),
        ("skus[TEE-RED-M2].code", "TEE-RED-M", "TEE-RED-M2"),
        ("skus[TEE-RED-M2].listPrice", "99.00", "89.00"),
        ("skus[TEE-RED-L].archived", False, True),
    }
    assert [s.id for s in product.skus] == [red_m.id, red_l.id]  # the SKU is kept
    assert product.version == 2
    [event] = product.events
    assert event.event_type == "product.updated"
    assert event.changed_fields == ("name", "skus.archived", "skus.code", "skus.listPrice")


def test_a_revision_that_changes_nothing_is_no_change() -> None:
    product = tee()
    details, skus = product.as_input()
    assert product.revise(details, skus, apparel_type(), CURRENCY, LATER) == ()
    assert product.version == 1 and product.updated_at == AT and not product.events


def test_archiving_keeps_the_product_and_refuses_every_later_change() -> None:
    product = tee()
    changes = product.archive(LATER)
    assert [(c.field, c.after) for c in changes] == [("archived", True)]
    assert product.archived and len(product.skus) == 2
    assert product.events[-1].event_type == "product.archived"
    details, skus = product.as_input()
    attempts: list[Callable[[], object]] = [
        lambda: product.archive(LATER),
        lambda: product.change_lifecycle(Lifecycle.ACTIVE, LATER),
        lambda: product.revise(details, skus, apparel_type(), CURRENCY, LATER),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict) as caught:
            attempt()
        assert caught.value.code == "product_archived"
    assert product.version == 2


def test_archived_skus_are_kept_as_they_were_when_the_kind_changes() -> None:
    product = tee([sku("A", weight_grams=Decimal(100)), sku("B", size="L")])
    details, skus = product.as_input()
    changes = product.revise(
        replace(details, kind=ProductKind.VIRTUAL),
        [replace(skus[1], weight_grams=None)],
        apparel_type(),
        CURRENCY,
        LATER,
    )
    assert {c.field for c in changes} == {"kind", "skus[A].archived"}
    archived = next(s for s in product.skus if s.code == "A")
    assert archived.archived and archived.weight_grams == Decimal(100)
