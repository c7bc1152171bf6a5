"""Product versions (CAT-8): diffs name exactly the changed fields; restoring any earlier
version gives back exactly its content as a new version; history is never rewritten."""

from __future__ import annotations

import copy
import uuid
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from domain.catalog.product import LIFECYCLE_TRANSITIONS, Product, ProductInput, SkuInput
from domain.catalog.snapshot_diff import diff_snapshots
from domain.catalog.versions import (
    ProductVersion,
    first_version,
    next_version,
    plan_restore,
    redact_costs,
    restoration_target,
)
from domain.shared.audit import REDACTED
from tests.unit.catalog.test_builders import AT, CURRENCY, apparel_type, tee

PRODUCT_FIELDS = [
    "name",
    "description",
    "material",
    "kind",
    "preorderAllowed",
    "sellOutOfStockAllowed",
    "categoryId",
    "brandId",
    "attributes.fabric",
    "attributes.capacity",
]
SKU_FIELDS = ["code", "barcode", "listPrice", "cost", "weightGrams", "archived", "axisValues.color"]


def _set(snapshot: dict[str, Any], path: str, value: object) -> None:
    target = snapshot
    *parents, leaf = path.split(".")
    for part in parents:
        target = target[part]
    target[leaf] = value


@given(
    st.sets(st.sampled_from(PRODUCT_FIELDS)),
    st.lists(st.sets(st.sampled_from(SKU_FIELDS)), min_size=3, max_size=3),
    st.permutations([0, 1, 2]),
)
def test_a_diff_names_exactly_the_changed_fields(
    product_fields: set[str], sku_fields: list[set[str]], order: list[int]
) -> None:
    """Diff: for any set of changed fields of the product and of its SKUs (a SKU's fields
    under its current code), the diff's paths are exactly those — reordering SKUs is no
    change."""
    before = tee(
        [
            SkuInput(uuid.uuid4(), f"T-{i}", Decimal(10), axis_values={"color": "红色", "size": s})
            for i, s in enumerate("SML")
        ]
    ).snapshot()
    after = copy.deepcopy(before)
    expected = set()
    for path in product_fields:
        _set(after, path, f"changed {path}")
        expected.add(path)
    for i, (sku, fields) in enumerate(zip(after["skus"], sku_fields, strict=True)):
        for path in fields:
            _set(sku, path, not sku["archived"] if path == "archived" else f"changed-{path}-{i}")
        expected |= {f"skus[{sku['code']}].{path}" for path in fields}
    after["skus"] = [after["skus"][i] for i in order]
    assert {c.field for c in diff_snapshots(before, after)} == expected


def test_added_and_removed_entities_are_one_change_each() -> None:
    before = tee().snapshot()
    after = copy.deepcopy(before)
    removed = after["skus"].pop(0)
    added = {**copy.deepcopy(removed), "id": str(uuid.uuid4()), "code": "NEW"}
    after["skus"].append(added)
    changes = {c.field: (c.before, c.after) for c in diff_snapshots(before, after)}
    assert changes == {"skus[NEW]": (None, added), f"skus[{removed['code']}]": (removed, None)}


# --- restore ----------------------------------------------------------------------------

SLOTS = [("红色", "S"), ("红色", "M"), ("Blue", "S"), ("Blue", "M")]
SLOT_IDS = [uuid.UUID(int=100 + i) for i in range(len(SLOTS))]


@st.composite
def contents(draw: st.DrawFn) -> tuple[ProductInput, list[SkuInput]]:
    product = ProductInput(
        name=draw(st.sampled_from(["纯棉 T恤", "T恤 Pro", "短袖"])),
        description=draw(st.sampled_from(["", "夏季", "=SUM(A1)"])),
        material=draw(st.sampled_from([None, "棉"])),
        preorder_allowed=draw(st.booleans()),
        attributes={
            "fabric": draw(st.sampled_from(["棉", "麻"])),
            "capacity": draw(st.sampled_from(["1", "2.5"])),
        },
    )
    slots = draw(st.lists(st.sampled_from(range(len(SLOTS))), unique=True, max_size=4))
    skus = [
        SkuInput(
            SLOT_IDS[i],
            f"T-{i}" + draw(st.sampled_from(["", "-B"])),
            list_price=draw(st.sampled_from([None, Decimal("9.90"), Decimal(99)])),
            cost=draw(st.sampled_from([None, Decimal(5)])),
            barcode=draw(st.sampled_from([None, f"SHOP-{i}"])),
            axis_values={"color": SLOTS[i][0], "size": SLOTS[i][1]},
            archived=draw(st.booleans()),
        )
        for i in slots
    ]
    return product, skus


@settings(deadline=None)
@given(st.lists(contents(), min_size=1, max_size=5), st.data())
def test_restoring_any_earlier_version_yields_exactly_it(
    history: list[tuple[ProductInput, list[SkuInput]]], data: st.DataObject
) -> None:
    """Restore: whatever the history, restoring version i leaves the product's snapshot equal
    to ``restoration_target`` — exactly version i when the lifecycle is the same and no SKU
    was created after it — and records it as a new version that names i, with exactly the
    diff from the current state; the versions before are untouched; restoring what is
    already there records nothing."""
    product_type = apparel_type()
    first_content, *later = history
    product = Product.create(uuid.uuid4(), "T", *first_content, product_type, CURRENCY, AT)
    versions = [first_version(product.id, product.snapshot(), "user:1", AT)]
    for step, (details, skus) in enumerate(later, start=1):
        at = AT + timedelta(hours=step)
        product.revise(details, skus, product_type, CURRENCY, at)
        if data.draw(st.integers(0, 3)) == 0:  # now and then a lifecycle move
            product.change_lifecycle(sorted(LIFECYCLE_TRANSITIONS[product.lifecycle])[0], at)
        version = next_version(versions[-1], product.snapshot(), "user:1", at)
        assert (version is None) == (product.snapshot() == versions[-1].snapshot)
        if version is not None:
            versions.append(version)
    frozen = copy.deepcopy([v.snapshot for v in versions])

    old = data.draw(st.sampled_from(versions))
    current = product.snapshot()
    target = plan_restore(current, old)
    event("restore is a no-op" if target is None else "restore changes the content")
    if target is None:
        # Nothing differs but, perhaps, the order of SKUs — which is no change.
        assert diff_snapshots(current, restoration_target(current, old.snapshot)) == ()
        assert product.restore(old.snapshot, product_type, CURRENCY, AT) == ()
        return
    changes = product.restore(old.snapshot, product_type, CURRENCY, AT + timedelta(days=1))
    assert product.snapshot() == target
    assert set(changes) == set(diff_snapshots(current, target))
    old_ids = {s["id"] for s in old.snapshot["skus"]}
    exact = (
        current["lifecycle"] == old.snapshot["lifecycle"]
        and {s["id"] for s in current["skus"]} <= old_ids
    )
    event("restored exactly the old snapshot" if exact else "kept lifecycle or newer SKUs")
    if exact:
        assert product.snapshot() == old.snapshot
    restored = next_version(
        versions[-1], product.snapshot(), "user:2", AT, restored_from=old.number
    )
    assert restored is not None
    assert (restored.number, restored.restored_from) == (versions[-1].number + 1, old.number)
    assert set(restored.changes) == set(changes)
    assert [v.snapshot for v in versions] == frozen
    assert plan_restore(product.snapshot(), old) is None  # a second restore: no version


def test_restore_keeps_the_lifecycle_and_archives_newer_skus() -> None:
    product = tee()
    first = first_version(product.id, product.snapshot(), "user:1", AT)
    details, skus = product.as_input()
    newer = replace(
        skus[0], id=uuid.uuid4(), code="TEE-BLUE-M", axis_values={"color": "Blue", "size": "M"}
    )
    product.revise(replace(details, name="新名字"), [*skus, newer], apparel_type(), CURRENCY, AT)
    product.launch(AT)
    changes = product.restore(first.snapshot, apparel_type(), CURRENCY, AT)
    assert {c.field for c in changes} == {"name", "skus[TEE-BLUE-M].archived"}
    assert product.lifecycle == "active" and product.details.name == "纯棉 T恤"


def test_costs_are_redacted_for_readers_without_the_permission() -> None:
    product = tee()
    before = product.snapshot()
    details, skus = product.as_input()
    added = replace(
        skus[0],
        id=uuid.uuid4(),
        code="NEW",
        cost=Decimal(3),
        axis_values={"color": "Blue", "size": "S"},
    )
    product.revise(
        details, [replace(skus[0], cost=Decimal(7)), skus[1], added], apparel_type(), CURRENCY, AT
    )
    redacted = {
        c.field: (c.before, c.after)
        for c in redact_costs(diff_snapshots(before, product.snapshot()))
    }
    assert redacted["skus[TEE-RED-M].cost"] == (None, REDACTED)
    assert redacted["skus[NEW]"][1]["cost"] == REDACTED
    assert isinstance(first_version(product.id, before, "u", AT), ProductVersion)
