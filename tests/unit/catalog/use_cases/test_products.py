"""Product use cases on fakes (CAT-1, CAT-8, CAT-11): versions as ETags, audit and events,
costs by permission, archiving, restoring."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from application.catalog.products import (
    ArchiveProduct,
    CreateProduct,
    DiffVersions,
    GetProduct,
    ListVersions,
    ProductView,
    RestoreProduct,
    ReviseProduct,
)
from domain.catalog.product import Lifecycle
from domain.shared.audit import REDACTED
from domain.shared.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
    VersionRequired,
)
from domain.shared.money import Money
from tests.unit.catalog.use_cases.shop import Shop, amount, ctx, product_data, sku


async def create(shop: Shop, code: str = "EAR", **values: object) -> ProductView:
    return await shop.run(ctx(), CreateProduct(code, product_data(**values)))


async def test_create_stores_version_one_with_its_audit_and_event(shop: Shop) -> None:
    view = await shop.run(
        ctx(),
        CreateProduct("EAR", product_data("蓝牙耳机", sku("EAR-1", "99.5", cost=amount("40")))),
    )
    product = view.product
    assert (product.version, product.lifecycle) == (1, Lifecycle.NEW)
    assert product.skus[0].list_price == Money(Decimal("99.5"), "CNY")

    versions = await shop.read(lambda s: s.products.versions(product.id, None, 10))
    assert [(v.number, v.restored_from) for v in versions] == [(1, None)]
    assert versions[0].actor.startswith("user:")
    [entry] = shop.audit
    assert (entry.action, entry.entity_id, entry.detail) == (
        "product.create",
        product.id,
        {"version": 1},
    )
    [event] = shop.events
    assert (event.event_type, event.entity_id, event.data) == (
        "product.created",
        product.id,
        {"code": "EAR"},
    )
    terms = shop.db.tenant(ctx().tenant_id).catalog.search_terms[product.id]
    assert terms and "蓝牙" in terms


async def test_invalid_input_reports_every_field_and_stores_nothing(shop: Shop) -> None:
    data = product_data(
        "",
        sku("EAR-1", "-1"),
        sku("EAR-1", "NaN"),  # malformed text is the HTTP decoder's to refuse
        kind="ghost",
        brand_id=uuid.uuid4(),
    )
    with pytest.raises(ValidationFailed) as caught:
        await shop.run(ctx(), CreateProduct("EAR", data))
    fields = {(e.field, e.code) for e in caught.value.errors}
    assert {
        ("kind", "invalid_choice"),
        ("brandId", "unknown_brand"),
        ("skus[1].listPrice", "invalid_amount"),
    } <= fields
    assert await shop.read(lambda s: s.products.page(None, 10)) == []
    assert shop.events == [] and [e.outcome for e in shop.audit] == ["failed"]


async def test_codes_are_unique_in_the_tenant(shop: Shop) -> None:
    await create(shop, "EAR")
    with pytest.raises(Conflict) as product_code:
        await shop.run(ctx(), CreateProduct("ear", product_data(skus=(sku("OTHER-1"),))))
    with pytest.raises(Conflict) as sku_code:
        await shop.run(ctx(), CreateProduct("HEAD", product_data()))
    assert (product_code.value.code, sku_code.value.code) == (
        "product_code_taken",
        "sku_code_taken",
    )
    assert sku_code.value.params == {"sku_code": "EAR-1"}


async def test_revise_is_a_new_version_with_its_diff(shop: Shop) -> None:
    created = await create(shop)
    sku_id = created.skus[0].id
    shop.forget_history()

    revised = await shop.run(
        ctx(),
        ReviseProduct(
            created.product.id, product_data("降噪耳机", sku("EAR-1", "129", id=sku_id)), 1
        ),
    )

    assert revised.product.version == 2
    versions = await shop.query(ctx(), ListVersions.window(created.product.id, None, None))
    assert [v.number for v in versions.items] == [2, 1]
    assert {(c.field, c.before, c.after) for c in versions.items[0].changes} == {
        ("name", "蓝牙耳机", "降噪耳机"),
        ("skus[EAR-1].listPrice", "99.00", "129.00"),
    }
    [event] = shop.events
    assert (event.event_type, event.changed_fields) == (
        "product.updated",
        ("name", "skus.listPrice"),
    )
    [entry] = shop.audit
    assert (entry.action, entry.detail) == ("product.update", {"version": 2})
    terms = shop.db.tenant(ctx().tenant_id).catalog.search_terms[created.product.id]
    assert "降噪" in terms and "蓝牙" not in terms  # rewritten with the name


async def test_a_revision_that_changes_nothing_writes_nothing(shop: Shop) -> None:
    created = await create(shop)
    shop.forget_history()
    same = await shop.run(
        ctx(),
        ReviseProduct(
            created.product.id, product_data(skus=(sku("EAR-1", id=created.skus[0].id),)), 1
        ),
    )
    assert same.product.version == 1
    assert shop.audit == [] and shop.events == []
    assert len(await shop.read(lambda s: s.products.versions(created.product.id, None, 10))) == 1


async def test_revise_checks_the_version(shop: Shop) -> None:
    created = await create(shop)
    pid = created.product.id
    with pytest.raises(VersionRequired):
        await shop.run(ctx(), ReviseProduct(pid, product_data("新名"), None))
    with pytest.raises(StaleVersion):
        await shop.run(ctx(), ReviseProduct(pid, product_data("新名"), 2))
    with pytest.raises(NotFound):
        await shop.run(ctx(), ReviseProduct(uuid.uuid4(), product_data("新名"), 1))
    assert (await shop.query(ctx(), GetProduct(pid))).product.details.name == "蓝牙耳机"


async def test_a_sku_left_out_is_archived_and_kept(shop: Shop) -> None:
    kind = await shop.colour_type()
    red, blue = sku("EAR-A", axis_values={"color": "红"}), sku("EAR-B", axis_values={"color": "蓝"})
    created = await shop.run(
        ctx(), CreateProduct("EAR", product_data("耳机", red, blue, product_type_id=kind.id))
    )
    a = created.skus[0]
    kept = sku("EAR-A", id=a.id, axis_values={"color": "红"})
    revised = await shop.run(
        ctx(),
        ReviseProduct(created.product.id, product_data("耳机", kept, product_type_id=kind.id), 1),
    )
    assert [(s.code, s.archived) for s in revised.skus] == [("EAR-A", False), ("EAR-B", True)]
    with pytest.raises(Conflict) as caught:  # the archived SKU's code stays taken
        await shop.run(ctx(), CreateProduct("OTHER", product_data(skus=(sku("EAR-B"),))))
    assert caught.value.code == "sku_code_taken"


async def test_costs_need_read_cost(shop: Shop) -> None:
    created = await shop.run(
        ctx(), CreateProduct("EAR", product_data(skus=(sku("EAR-1", cost=amount("40")),)))
    )
    pid, sku_id = created.product.id, created.skus[0].id

    seen_by_marketing = await shop.query(ctx("marketing"), GetProduct(pid))
    assert seen_by_marketing.cost_hidden and seen_by_marketing.skus[0].cost is None
    with pytest.raises(ValidationFailed) as caught:
        await shop.run(
            ctx("marketing"),
            ReviseProduct(pid, product_data(skus=(sku("EAR-1", id=sku_id, cost=amount("1")),)), 1),
        )
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("skus[0].cost", "permission_denied")
    ]

    # Without the permission a revision keeps the stored cost whatever it sends.
    await shop.run(
        ctx("marketing"), ReviseProduct(pid, product_data("新名", sku("EAR-1", id=sku_id)), 1)
    )
    stored = await shop.query(ctx("purchasing"), GetProduct(pid))
    assert stored.skus[0].cost == Money(Decimal("40"), "CNY")
    assert [c.field for c in shop.audit[-1].changes] == ["name"]


async def test_cost_changes_are_redacted_in_versions_and_audit(shop: Shop) -> None:
    created = await shop.run(
        ctx(), CreateProduct("EAR", product_data(skus=(sku("EAR-1", cost=amount("40")),)))
    )
    pid, sku_id = created.product.id, created.skus[0].id
    await shop.run(
        ctx(),
        ReviseProduct(pid, product_data(skus=(sku("EAR-1", id=sku_id, cost=amount("45")),)), 1),
    )
    newest = (await shop.query(ctx("marketing"), ListVersions.window(pid, None, 1))).items[0]
    assert [(c.field, c.before, c.after) for c in newest.changes] == [
        ("skus[EAR-1].cost", REDACTED, REDACTED)
    ]
    owner_view = (await shop.query(ctx("purchasing"), ListVersions.window(pid, None, 1))).items[0]
    assert [(c.before, c.after) for c in owner_view.changes] == [("40.00", "45.00")]
    assert [(c.before, c.after) for c in shop.audit[-1].changes] == [(REDACTED, REDACTED)]
    assert shop.events[-1].changed_fields == ("skus.cost",)


async def test_the_first_version_hides_costs_from_readers_without_read_cost(shop: Shop) -> None:
    created = await shop.run(
        ctx(), CreateProduct("EAR", product_data(skus=(sku("EAR-1", cost=amount("40")),)))
    )
    first = await shop.query(ctx("marketing"), ListVersions.window(created.product.id, None, 1))
    [skus] = [c for c in first.items[0].changes if c.field == "skus"]
    assert skus.after[0]["cost"] == REDACTED


async def test_lifecycle_moves_by_its_table_only(shop: Shop) -> None:
    created = await create(shop)
    pid = created.product.id
    active = await shop.run(
        ctx(),
        ReviseProduct(
            pid, product_data(skus=(sku("EAR-1", id=created.skus[0].id),), lifecycle="active"), 1
        ),
    )
    assert active.product.lifecycle is Lifecycle.ACTIVE
    with pytest.raises(ValidationFailed) as caught:
        await shop.run(
            ctx(),
            ReviseProduct(
                pid, product_data(skus=(sku("EAR-1", id=created.skus[0].id),), lifecycle="new"), 2
            ),
        )
    assert caught.value.errors[0].code == "lifecycle_transition_not_allowed"
    assert shop.events[-1].changed_fields == ("lifecycle",)


async def test_archive_keeps_the_product_and_refuses_every_later_change(shop: Shop) -> None:
    created = await create(shop)
    pid = created.product.id
    shop.forget_history()

    await shop.run(ctx(), ArchiveProduct(pid, 1))

    archived = await shop.query(ctx(), GetProduct(pid))
    assert archived.product.archived and archived.product.version == 2
    assert [e.event_type for e in shop.events] == ["product.archived"]
    assert shop.audit[0].action == "product.archive"
    assert await shop.read(lambda s: s.products.page(None, 10)) == []
    with pytest.raises(Conflict) as caught:
        await shop.run(ctx(), ReviseProduct(pid, product_data("新名"), 2))
    assert caught.value.code == "product_archived"


async def test_restore_brings_old_content_back_as_a_new_version(shop: Shop) -> None:
    created = await create(shop)
    pid, sku_id = created.product.id, created.skus[0].id
    await shop.run(
        ctx(), ReviseProduct(pid, product_data("新名", sku("EAR-1", "120", id=sku_id)), 1)
    )
    shop.forget_history()

    restored = await shop.run(ctx(), RestoreProduct(pid, 1, 2))

    assert (restored.product.version, restored.product.details.name) == (3, "蓝牙耳机")
    assert restored.skus[0].list_price == Money(Decimal("99.00"), "CNY")
    newest = (await shop.query(ctx(), ListVersions.window(pid, None, 1))).items[0]
    assert (newest.number, newest.restored_from) == (3, 1)
    assert await shop.query(ctx(), DiffVersions(pid, 1, 3)) == ()
    assert shop.audit[0].action == "product.restore"
    # Restoring what is already there is no change.
    again = await shop.run(ctx(), RestoreProduct(pid, 1, 3))
    assert again.product.version == 3 and len(shop.audit) == 1


async def test_readers_read_and_only_writers_write(shop: Shop) -> None:
    created = await create(shop)
    assert (
        await shop.query(ctx("warehouse"), GetProduct(created.product.id))
    ).product.code == "EAR"
    with pytest.raises(PermissionDenied):
        await shop.run(ctx("warehouse"), ArchiveProduct(created.product.id, 1))
    with pytest.raises(PermissionDenied):
        await shop.query(ctx("staff"), GetProduct(created.product.id))
    assert [(e.action, e.outcome) for e in shop.audit[-2:]] == [
        ("product.archive", "denied"),
        ("read", "denied"),
    ]
    assert not (await shop.query(ctx(), GetProduct(created.product.id))).product.archived
