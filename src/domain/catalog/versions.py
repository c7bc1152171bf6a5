"""Product versions (CAT-8): every change is a version with actor, time, the full snapshot
(``Product.snapshot``: the product and its SKUs as plain JSON-able dicts) and the
field-level diff from the version before it.

History is never rewritten: a restore computes the changes that bring the current content
back to an older snapshot and records them as a NEW version (``restored_from`` names the
old one). A change or restore that changes nothing records no version.

What a restore brings back is the content. Two things are not content and keep their
current values (``KEPT_ON_RESTORE``): the lifecycle, which moves only along its transition
table, and archiving (an archived product refuses every change, restores too). SKUs are
never deleted, so a SKU created after the restored version stays, archived
(``Product.revise``). Restoring a snapshot therefore yields exactly that snapshot except
for those: ``restoration_target`` is the snapshot the product will have.

Cost prices are in snapshots and diffs; readers without ``catalog:read_cost`` get them
through ``redact_costs``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.catalog.snapshot_diff import diff_snapshots
from domain.shared.audit import REDACTED, AuditChange

KEPT_ON_RESTORE = ("lifecycle", "archived")
COST_FIELD = "cost"

Snapshot = Mapping[str, Any]


@dataclass(frozen=True)
class ProductVersion:
    product_id: UUID
    number: int  # 1, 2, …; equal to the product's version after the change
    snapshot: Snapshot
    actor: str  # who: "user:<id>", "api_key:<id>", "system:<job>"
    at: datetime
    changes: tuple[AuditChange, ...]  # from the previous version (the first: from nothing)
    restored_from: int | None = None


def first_version(product_id: UUID, snapshot: Snapshot, actor: str, at: datetime) -> ProductVersion:
    return ProductVersion(
        product_id, 1, copy.deepcopy(dict(snapshot)), actor, at, diff_snapshots({}, snapshot)
    )


def next_version(
    latest: ProductVersion,
    snapshot: Snapshot,
    actor: str,
    at: datetime,
    restored_from: int | None = None,
) -> ProductVersion | None:
    """The version a change makes, or None when the snapshot is the latest one's."""
    changes = diff_snapshots(latest.snapshot, snapshot)
    if not changes:
        return None
    return ProductVersion(
        latest.product_id,
        latest.number + 1,
        copy.deepcopy(dict(snapshot)),
        actor,
        at,
        changes,
        restored_from,
    )


def diff_versions(older: ProductVersion, newer: ProductVersion) -> tuple[AuditChange, ...]:
    """What changed between any two versions (not only neighbours)."""
    return diff_snapshots(older.snapshot, newer.snapshot)


def restoration_target(current: Snapshot, old: Snapshot) -> dict[str, Any]:
    """The snapshot a restore of ``old`` leaves: ``old``'s content, the current lifecycle
    and archiving, and the current SKUs that ``old`` lacks, archived."""
    target = copy.deepcopy(dict(old))
    for key in KEPT_ON_RESTORE:
        target[key] = current[key]
    known = {sku["id"] for sku in old["skus"]}
    for sku in current["skus"]:
        if sku["id"] not in known:
            target["skus"].append({**copy.deepcopy(dict(sku)), "archived": True})
    return target


def plan_restore(current: Snapshot, old: ProductVersion) -> dict[str, Any] | None:
    """The target of restoring ``old``, or None when the restore would change nothing
    (then no version is written)."""
    target = restoration_target(current, old.snapshot)
    return target if diff_snapshots(current, target) else None


def is_cost_path(path: str) -> bool:
    return path.rsplit(".", 1)[-1] == COST_FIELD


def redact_costs(changes: tuple[AuditChange, ...]) -> tuple[AuditChange, ...]:
    """Changes as a reader without ``catalog:read_cost`` sees them: cost changes keep their
    path, their values become ``[redacted]``; a whole SKU added or removed loses its cost."""
    result: list[AuditChange] = []
    for change in changes:
        if is_cost_path(change.field):
            result.append(
                AuditChange(
                    change.field,
                    REDACTED if change.before is not None else None,
                    REDACTED if change.after is not None else None,
                )
            )
        else:
            result.append(
                AuditChange(change.field, _without_cost(change.before), _without_cost(change.after))
            )
    return tuple(result)


def _without_cost(value: Any) -> Any:
    """A SKU's cost redacted, whether the value is one SKU or a list of them (the first
    version records the whole SKU list)."""
    if isinstance(value, Mapping) and COST_FIELD in value:
        return {**value, COST_FIELD: REDACTED if value[COST_FIELD] is not None else None}
    if isinstance(value, (list, tuple)):
        return type(value)(_without_cost(item) for item in value)
    return value


def redact_snapshot_costs(snapshot: Snapshot) -> dict[str, Any]:
    result = copy.deepcopy(dict(snapshot))
    for sku in result.get("skus", []):
        if sku.get(COST_FIELD) is not None:
            sku[COST_FIELD] = REDACTED
    return result
