"""Brand and product-type use cases on fakes (CAT-5, CAT-6): unique names, revisions as
versions, no-op revisions, audit and events."""

from __future__ import annotations

import uuid

import pytest

from application.catalog.brands.create import CreateBrand
from application.catalog.brands.rename import RenameBrand
from application.catalog.product_types import AttributeInput, CreateProductType, ReviseProductType
from application.catalog.reads import GetBrand, ListBrands
from domain.shared.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
)
from tests.unit.catalog.use_cases.shop import Shop, ctx

SIZE = AttributeInput("size", "尺码", "enum", variant_axis=True, allowed_values=("S", "M"))
WEIGHT = AttributeInput("weight", "重量", "number", unit="g")


async def test_brand_create_and_rename(shop: Shop) -> None:
    brand = await shop.run(ctx(), CreateBrand("  Anker "))
    assert (brand.name, brand.version) == ("Anker", 1)
    renamed = await shop.run(ctx(), RenameBrand(brand.id, "安克", 1))
    assert renamed.version == 2
    assert (await shop.query(ctx("warehouse"), GetBrand(brand.id))).name == "安克"
    assert [(e.action, [(c.field, c.before, c.after) for c in e.changes]) for e in shop.audit] == [
        ("brand.create", [("name", None, "Anker")]),
        ("brand.update", [("name", "Anker", "安克")]),
    ]
    assert [(e.event_type, e.changed_fields) for e in shop.events] == [
        ("brand.created", ()),
        ("brand.updated", ("name",)),
    ]
    assert shop.audit[1].detail == {"version": 2}


async def test_brand_names_are_unique_by_their_key(shop: Shop) -> None:
    first = await shop.run(ctx(), CreateBrand("Anker"))
    other = await shop.run(ctx(), CreateBrand("Baseus"))
    with pytest.raises(Conflict) as on_create:
        await shop.run(ctx(), CreateBrand("ＡＮＫＥＲ"))  # full width, upper case
    with pytest.raises(Conflict) as on_rename:
        await shop.run(ctx(), RenameBrand(other.id, "anker", 1))
    assert on_create.value.code == on_rename.value.code == "brand_name_taken"
    assert (await shop.query(ctx(), GetBrand(other.id))).name == "Baseus"
    assert [b.id for b in (await shop.query(ctx(), ListBrands.window(None, None))).items] == [
        first.id,
        other.id,
    ]


async def test_brand_rename_to_the_same_name_writes_nothing(shop: Shop) -> None:
    brand = await shop.run(ctx(), CreateBrand("Anker"))
    shop.forget_history()
    assert (await shop.run(ctx(), RenameBrand(brand.id, " Anker ", 1))).version == 1
    assert shop.audit == [] and shop.events == []


async def test_brand_rename_needs_permission_and_version(shop: Shop) -> None:
    brand = await shop.run(ctx(), CreateBrand("Anker"))
    with pytest.raises(PermissionDenied):
        await shop.run(ctx("purchasing"), RenameBrand(brand.id, "Other", 1))
    with pytest.raises(StaleVersion):
        await shop.run(ctx(), RenameBrand(brand.id, "Other", 7))
    with pytest.raises(NotFound):
        await shop.run(ctx(), RenameBrand(uuid.uuid4(), "Other", 1))
    assert [(e.action, e.outcome) for e in shop.audit[1:]] == [
        ("brand.update", "denied"),
        ("brand.update", "failed"),
        ("brand.update", "failed"),
    ]
    assert shop.audit[-2].detail["error"] == "stale_version"


async def test_product_type_create_and_revise(shop: Shop) -> None:
    created = await shop.run(ctx(), CreateProductType("服装", [SIZE]))
    assert [a.code for a in created.axes] == ["size"]
    shop.forget_history()

    revised = await shop.run(ctx(), ReviseProductType(created.id, None, [SIZE, WEIGHT], 1))

    assert (revised.name, revised.version) == ("服装", 2)
    assert [a.code for a in revised.specifications] == ["weight"]
    [event] = shop.events
    assert (event.event_type, event.changed_fields) == ("product_type.updated", ("attributes",))
    [entry] = shop.audit
    [change] = entry.changes
    assert change.field == "attributes" and [a["code"] for a in change.after] == ["size", "weight"]
    stored = await shop.read(lambda s: s.product_types.get(created.id))
    assert stored is not None and stored.version == 2 and len(stored.attributes) == 2


async def test_product_type_revision_that_changes_nothing_writes_nothing(shop: Shop) -> None:
    created = await shop.run(ctx(), CreateProductType("服装", [SIZE]))
    shop.forget_history()
    same = await shop.run(ctx(), ReviseProductType(created.id, "服装", None, 1))
    assert same.version == 1 and shop.audit == [] and shop.events == []


async def test_unknown_attribute_kinds_are_named_by_index(shop: Shop) -> None:
    odd = AttributeInput("mood", "心情", "feeling")
    with pytest.raises(ValidationFailed) as caught:
        await shop.run(ctx(), CreateProductType("服装", [SIZE, odd]))
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("attributes[1].kind", "invalid_choice")
    ]
    assert await shop.read(lambda s: s.product_types.page(None, 10)) == []


async def test_product_type_names_are_unique(shop: Shop) -> None:
    await shop.run(ctx(), CreateProductType("服装", []))
    with pytest.raises(Conflict) as caught:
        await shop.run(ctx(), CreateProductType(" 服装", []))
    assert caught.value.code == "product_type_name_taken"
