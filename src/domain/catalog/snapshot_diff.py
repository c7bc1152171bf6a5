"""Field-level diff of two nested, JSON-able snapshots (CAT-8, PLT-3).

Paths: ``name``; ``attributes.color`` for a key of a nested object; ``skus[TS-01].listPrice``
for a field of an entity in a list. A list whose items are all objects with an ``id`` is a
list of entities: items are matched by id (so reordering is no change and a renamed SKU is
one change of its ``code``), labelled by their ``code`` (the newer one) — or by their id
if the code is missing or already used by another item of the same list. An entity present
on one side only is one change of the whole entity (before or after ``None``). Any other
value — scalars, other lists — is compared as a whole. A key missing on one side reads as
``None``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from domain.shared.audit import AuditChange

_ENTITY_LABEL = re.compile(r"\[[^\]]*\]")


def diff_snapshots(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[AuditChange, ...]:
    changes: list[AuditChange] = []
    _walk("", before, after, changes)
    return tuple(changes)


def changed_field_names(changes: tuple[AuditChange, ...]) -> tuple[str, ...]:
    """Paths without entity labels (``skus[TS-01].listPrice`` → ``skus.listPrice``), distinct
    and sorted: what events carry — bounded by the number of fields, not of SKUs."""
    return tuple(sorted({_ENTITY_LABEL.sub("", change.field) for change in changes}))


def _is_entity_list(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, Mapping) and "id" in item for item in value
    )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _walk(path: str, old: Any, new: Any, out: list[AuditChange]) -> None:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(set(old) | set(new), key=str):
            _walk(_join(path, str(key)), old.get(key), new.get(key), out)
    elif _is_entity_list(old) and _is_entity_list(new) and (old or new):
        _walk_entities(path, old, new, out)
    elif old != new:
        out.append(AuditChange(path, old, new))


def _walk_entities(
    path: str, old: list[Mapping[str, Any]], new: list[Mapping[str, Any]], out: list[AuditChange]
) -> None:
    old_by_id = {str(item["id"]): item for item in old}
    new_by_id = {str(item["id"]): item for item in new}
    ids = list(new_by_id) + [i for i in old_by_id if i not in new_by_id]
    used: set[str] = set()
    for entity_id in ids:
        item = new_by_id.get(entity_id) or old_by_id[entity_id]
        label = str(item.get("code") or entity_id)
        if label in used:
            label = entity_id
        used.add(label)
        _walk(f"{path}[{label}]", old_by_id.get(entity_id), new_by_id.get(entity_id), out)
