"""Category tree use cases on fakes (CAT-4): names, moves, cycles, versions, audit, events."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.catalog.categories import CategoryChanges, ChangeCategory, CreateCategory
from application.catalog.products import CreateProduct, ProductsInCategory
from application.catalog.reads import GetCategory, ListCategories
from application.shared.reads import id_window
from domain.shared.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
    VersionRequired,
)
from tests.unit.catalog.use_cases.shop import Shop, ctx, make_shop, product_data


async def test_create_writes_the_category_its_closure_audit_and_event(shop: Shop) -> None:
    clothes = await shop.run(ctx(), CreateCategory("服装", None))
    men = await shop.run(ctx(), CreateCategory("男装", clothes.id))

    assert (men.parent_id, men.version) == (clothes.id, 1)
    assert await shop.read(lambda s: s.categories.path(men.id)) == [clothes.id, men.id]
    assert await shop.read(lambda s: s.categories.subtree(clothes.id)) == {
        clothes.id: 0,
        men.id: 1,
    }
    assert [(e.action, e.entity_id) for e in shop.audit] == [
        ("category.create", clothes.id),
        ("category.create", men.id),
    ]
    assert {(c.field, c.after) for c in shop.audit[1].changes} == {
        ("name", "男装"),
        ("parentId", str(clothes.id)),
    }
    assert [(e.event_type, e.entity_id) for e in shop.events] == [
        ("category.created", clothes.id),
        ("category.created", men.id),
    ]


async def test_sibling_names_are_unique_ignoring_case_and_width(shop: Shop) -> None:
    root = await shop.run(ctx(), CreateCategory("Shoes", None))
    with pytest.raises(Conflict) as caught:
        await shop.run(ctx(), CreateCategory(" SHOES ", None))
    assert caught.value.code == "category_name_taken"
    await shop.run(ctx(), CreateCategory("Shoes", root.id))  # another parent: fine
    assert [e.outcome for e in shop.audit] == ["success", "failed", "success"]


async def test_unknown_parent_is_a_field_error(shop: Shop) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await shop.run(ctx(), CreateCategory("男装", uuid.uuid4()))
    assert [(e.field, e.code) for e in caught.value.errors] == [("parentId", "unknown_category")]
    assert await shop.read(lambda s: s.categories.page(None, 10)) == []


async def test_a_reader_may_not_create_and_the_denial_is_audited(shop: Shop) -> None:
    with pytest.raises(PermissionDenied):
        await shop.run(ctx("warehouse"), CreateCategory("服装", None))
    [entry] = shop.audit
    assert (entry.action, entry.outcome) == ("category.create", "denied")
    assert entry.detail == {"error": "permission_denied", "permission": "catalog:write"}
    assert shop.events == []
    assert await shop.read(lambda s: s.categories.page(None, 10)) == []


async def test_move_rewrites_the_closure_of_the_whole_subtree(shop: Shop) -> None:
    a = await shop.run(ctx(), CreateCategory("A", None))
    b = await shop.run(ctx(), CreateCategory("B", a.id))
    c = await shop.run(ctx(), CreateCategory("C", b.id))
    other = await shop.run(ctx(), CreateCategory("Other", None))
    shop.forget_history()

    moved = await shop.run(ctx(), ChangeCategory(b.id, CategoryChanges(parent_id=other.id), 1))

    assert (moved.parent_id, moved.version) == (other.id, 2)
    assert await shop.read(lambda s: s.categories.path(c.id)) == [other.id, b.id, c.id]
    assert await shop.read(lambda s: s.categories.subtree(a.id)) == {a.id: 0}
    [event] = shop.events
    assert (event.event_type, event.changed_fields) == ("category.updated", ("parentId",))
    [entry] = shop.audit
    assert entry.detail == {"version": 2}
    assert [(x.field, x.before, x.after) for x in entry.changes] == [
        ("parentId", str(a.id), str(other.id))
    ]


async def test_products_of_a_category_include_its_descendants_after_a_move(shop: Shop) -> None:
    a = await shop.run(ctx(), CreateCategory("A", None))
    b = await shop.run(ctx(), CreateCategory("B", None))
    product = await shop.run(ctx(), CreateProduct("P-1", product_data(category_id=b.id)))
    assert (await shop.query(ctx(), ProductsInCategory(a.id, *id_window(None, None)))).items == []

    await shop.run(ctx(), ChangeCategory(b.id, CategoryChanges(parent_id=a.id), 1))

    page = await shop.query(ctx(), ProductsInCategory(a.id, *id_window(None, None)))
    assert [v.product.id for v in page.items] == [product.product.id]


async def test_a_move_under_its_own_descendant_is_refused_and_changes_nothing(
    shop: Shop,
) -> None:
    a = await shop.run(ctx(), CreateCategory("A", None))
    b = await shop.run(ctx(), CreateCategory("B", a.id))
    c = await shop.run(ctx(), CreateCategory("C", b.id))
    for target in (a.id, c.id):
        with pytest.raises(ValidationFailed) as caught:
            await shop.run(ctx(), ChangeCategory(a.id, CategoryChanges(parent_id=target), 1))
        assert [(e.field, e.code) for e in caught.value.errors] == [("parentId", "category_cycle")]
    stored = await shop.read(lambda s: s.categories.get(a.id))
    assert stored is not None and (stored.parent_id, stored.version) == (None, 1)
    assert [e.outcome for e in shop.audit[-2:]] == ["failed", "failed"]
    assert shop.audit[-1].detail["error"] == "validation_failed"


async def test_rename_and_move_in_one_change_is_one_version(shop: Shop) -> None:
    a = await shop.run(ctx(), CreateCategory("A", None))
    b = await shop.run(ctx(), CreateCategory("B", None))
    shop.forget_history()
    changed = await shop.run(
        ctx(), ChangeCategory(b.id, CategoryChanges(name="B2", parent_id=a.id), 1)
    )
    assert (changed.name, changed.version) == ("B2", 2)
    assert shop.events[0].changed_fields == ("name", "parentId")


async def test_a_change_that_changes_nothing_writes_nothing(shop: Shop) -> None:
    a = await shop.run(ctx(), CreateCategory("A", None))
    shop.forget_history()
    same = await shop.run(ctx(), ChangeCategory(a.id, CategoryChanges(name="A", parent_id=None), 1))
    assert same.version == 1
    assert shop.audit == [] and shop.events == []


async def test_a_change_needs_the_current_version(shop: Shop) -> None:
    a = await shop.run(ctx(), CreateCategory("A", None))
    await shop.run(ctx(), ChangeCategory(a.id, CategoryChanges(name="A2"), 1))
    with pytest.raises(VersionRequired):
        await shop.run(ctx(), ChangeCategory(a.id, CategoryChanges(name="A3"), None))
    with pytest.raises(StaleVersion):
        await shop.run(ctx(), ChangeCategory(a.id, CategoryChanges(name="A3"), 1))
    with pytest.raises(NotFound):
        await shop.run(ctx(), ChangeCategory(uuid.uuid4(), CategoryChanges(name="A3"), 1))
    assert (await shop.query(ctx(), GetCategory(a.id))).name == "A2"


async def test_categories_are_listed_in_creation_order_page_by_page(shop: Shop) -> None:
    created = [await shop.run(ctx(), CreateCategory(f"C{i}", None)) for i in range(5)]
    first = await shop.query(ctx("warehouse"), ListCategories.window(None, 3))
    second = await shop.query(ctx("warehouse"), ListCategories.window(first.next_cursor, 3))
    assert [c.id for c in first.items + second.items] == [c.id for c in created]
    assert second.next_cursor is None


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moves=st.lists(st.tuples(st.integers(0, 5), st.integers(-1, 5)), max_size=25))
async def test_random_moves_keep_the_tree_acyclic_and_the_closure_true(
    moves: list[tuple[int, int]],
) -> None:
    """Whatever moves are tried, refused or not, the parents form a forest and the closure
    holds exactly the (ancestor, descendant, depth) pairs of the parent pointers."""
    shop = make_shop()
    nodes = [await shop.run(ctx(), CreateCategory(f"N{i}", None)) for i in range(6)]
    versions = {n.id: n.version for n in nodes}
    for child, parent in moves:
        node = nodes[child].id
        target = nodes[parent].id if parent >= 0 else None
        try:
            moved = await shop.run(
                ctx(), ChangeCategory(node, CategoryChanges(parent_id=target), versions[node])
            )
            versions[node] = moved.version
        except ValidationFailed as refused:
            assert [e.code for e in refused.errors] == ["category_cycle"]

    stored = {c.id: c for c in await shop.read(lambda s: s.categories.page(None, 100))}
    expected: set[tuple[uuid.UUID, uuid.UUID, int]] = set()
    for node in stored:
        seen, current, depth = set(), node, 0
        while current is not None:
            assert current not in seen, "a cycle in the parent pointers"
            seen.add(current)
            expected.add((current, node, depth))
            current, depth = stored[current].parent_id, depth + 1
    closure = shop.db.tenant(ctx().tenant_id).catalog.closure
    assert {(r.ancestor_id, r.descendant_id, r.depth) for r in closure} == expected
