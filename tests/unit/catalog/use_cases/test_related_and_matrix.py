"""Related products and the SKU matrix on fakes (CAT-9, CAT-5)."""

from __future__ import annotations

import uuid

import pytest

from application.catalog.products import ArchiveProduct, CreateProduct, GetProduct, ProductView
from application.catalog.related import ReplaceRelated, ShowRelated
from application.catalog.sku_matrices import GenerateSkus, MatrixRequest, PreviewSkuMatrix
from domain.catalog.related import RelationKind
from domain.shared.errors import Conflict, ValidationFailed
from tests.unit.catalog.use_cases.shop import Shop, amount, ctx, product_data, sku

CROSS = RelationKind.CROSS_SELL


async def products(shop: Shop, *codes: str) -> list[ProductView]:
    return [
        await shop.run(ctx(), CreateProduct(code, product_data(code, sku(f"{code}-1"))))
        for code in codes
    ]


async def test_replace_links_in_order_with_audit_and_event(shop: Shop) -> None:
    a, b, c = await products(shop, "PA", "PB", "PC")
    shop.forget_history()

    view = await shop.run(ctx(), ReplaceRelated(a.product.id, CROSS, [c.product.id, b.product.id]))

    assert [s.code for s in view.links[CROSS]] == ["PC", "PB"]
    assert view.links[RelationKind.UP_SELL] == []
    [entry] = shop.audit
    assert (entry.action, entry.entity_id) == ("product.related_update", a.product.id)
    [change] = entry.changes
    assert (change.field, change.before, change.after) == (
        "related.cross_sell",
        [],
        [str(c.product.id), str(b.product.id)],
    )
    [event] = shop.events
    assert (event.event_type, event.changed_fields) == (
        "product.related_updated",
        ("related.cross_sell",),
    )
    # Links are not product content: the product's version stays.
    assert (await shop.query(ctx(), GetProduct(a.product.id))).product.version == 1

    shop.forget_history()
    await shop.run(ctx(), ReplaceRelated(a.product.id, CROSS, [c.product.id, b.product.id]))
    assert shop.audit == [] and shop.events == []


async def test_archived_products_are_hidden_kept_and_never_newly_linked(shop: Shop) -> None:
    a, b, c, d = await products(shop, "PA", "PB", "PC", "PD")
    await shop.run(ctx(), ReplaceRelated(a.product.id, CROSS, [b.product.id, c.product.id]))
    await shop.run(ctx(), ArchiveProduct(c.product.id, 1))
    await shop.run(ctx(), ArchiveProduct(d.product.id, 1))

    shown = await shop.query(ctx("warehouse"), ShowRelated(a.product.id))
    assert [s.code for s in shown.links[CROSS]] == ["PB"]
    stored = await shop.read(lambda s: s.related_products.get(a.product.id))
    assert stored.of_kind(CROSS) == (b.product.id, c.product.id)  # the link stays

    # A stored link to an archived product may stay (here: reordered) ...
    reordered = await shop.run(
        ctx(), ReplaceRelated(a.product.id, CROSS, [c.product.id, b.product.id])
    )
    assert [s.code for s in reordered.links[CROSS]] == ["PB"]
    # ... but an archived product, an unknown one or itself cannot be newly linked.
    with pytest.raises(ValidationFailed) as caught:
        await shop.run(
            ctx(), ReplaceRelated(a.product.id, CROSS, [d.product.id, uuid.uuid4(), b.product.id])
        )
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("cross_sell[0]", "related_product_archived"),
        ("cross_sell[1]", "unknown_product"),
    ]
    with pytest.raises(ValidationFailed) as itself:
        await shop.run(ctx(), ReplaceRelated(a.product.id, CROSS, [a.product.id]))
    assert itself.value.errors[0].code == "related_to_itself"
    with pytest.raises(Conflict):  # an archived product refuses changes to its links
        await shop.run(ctx(), ReplaceRelated(c.product.id, CROSS, [b.product.id]))
    stored = await shop.read(lambda s: s.related_products.get(a.product.id))
    assert stored.of_kind(CROSS) == (c.product.id, b.product.id)


async def coloured(shop: Shop) -> ProductView:
    kind = await shop.colour_type()
    red = sku("EAR-01", axis_values={"color": "红"})
    return await shop.run(
        ctx(), CreateProduct("EAR", product_data(skus=(red,), product_type_id=kind.id))
    )


async def test_matrix_adds_the_missing_combinations_with_codes_free_in_the_tenant(
    shop: Shop,
) -> None:
    ear = await coloured(shop)
    # Another product already holds the code the blue row would get.
    await shop.run(ctx(), CreateProduct("OTHER", product_data(skus=(sku("EAR-02"),))))
    request = MatrixRequest({"color": ["红", "蓝"]}, list_price=amount("99"))
    shop.forget_history()

    preview = await shop.query(ctx(), PreviewSkuMatrix(ear.product.id, request))
    assert [(r.code, r.sku_id) for r in preview.matrix.rows] == [
        ("EAR-01", ear.skus[0].id),
        ("EAR-02-2", None),
    ]
    assert shop.audit == []  # a preview changes nothing

    applied = await shop.run(ctx(), GenerateSkus(ear.product.id, request, 1))

    assert applied.product.version == 2
    assert [(s.code, s.axis_values["color"], s.archived) for s in applied.skus] == [
        ("EAR-01", "红", False),
        ("EAR-02-2", "蓝", False),
    ]
    assert str(applied.skus[1].list_price.amount) == "99.00"
    assert [e.action for e in shop.audit] == ["product.generate_skus"]
    assert shop.events[0].event_type == "product.updated"

    shop.forget_history()
    again = await shop.run(ctx(), GenerateSkus(ear.product.id, request, 2))
    assert again.product.version == 2 and shop.audit == [] and shop.events == []


async def test_matrix_retires_combinations_no_longer_chosen(shop: Shop) -> None:
    ear = await coloured(shop)
    applied = await shop.run(
        ctx(),
        GenerateSkus(ear.product.id, MatrixRequest({"color": ["蓝"]}, list_price=amount("99")), 1),
    )
    assert [(s.axis_values["color"], s.archived) for s in applied.skus] == [
        ("蓝", False),
        ("红", True),  # archived, never deleted
    ]
    with pytest.raises(ValidationFailed) as caught:
        await shop.run(ctx(), GenerateSkus(ear.product.id, MatrixRequest({"color": ["绿"]}), 2))
    assert caught.value.errors[0].field.startswith("axes.color")


async def test_a_product_without_variant_axes_has_no_matrix(shop: Shop) -> None:
    [plain] = await products(shop, "PA")
    with pytest.raises(ValidationFailed) as caught:
        await shop.run(ctx(), GenerateSkus(plain.product.id, MatrixRequest({}), 1))
    assert caught.value.errors[0].code == "product_type_has_no_variant_axes"
