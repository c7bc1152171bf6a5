"""The category tree (CAT-4): any depth; rename; move a subtree, refusing cycles.

Names are unique among siblings (compared NFKC-normalised, case-folded, whitespace
collapsed), so a path of names (``服装 > 男装 > T恤``, the import/export form) names one
category; that is also why a name may not contain ``>``.

Descendant queries go through a closure table: one row (ancestor, descendant, depth) for
every pair on a path, including (node, node, 0). This module computes the rows an insert or
a move implies; the adapter applies them. The cycle check here is only as good as the
ancestor list it is given: the adapter must read it and apply the rows under a lock that
serialises the tenant's tree changes (docs/catalog.md), or two racing moves (A under B, B
under A) can each pass the check and together make a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from domain.catalog.checks import FieldChecks, name_key
from domain.shared.errors import Conflict, FieldError, ValidationFailed

MAX_CATEGORY_NAME_LENGTH = 50
PATH_SEPARATOR = " > "
RESERVED_CHARACTER = ">"


def check_category_name(name: str, sibling_names: Iterable[str]) -> str:
    check = FieldChecks()
    clean = check.text("name", name, MAX_CATEGORY_NAME_LENGTH, required=True)
    if clean and RESERVED_CHARACTER in clean:
        check.add(FieldError("name", "reserved_character", {"character": RESERVED_CHARACTER}))
    check.raise_if_failed()
    assert clean is not None
    if name_key(clean) in {name_key(s) for s in sibling_names}:
        raise Conflict("category_name_taken", name=clean)
    return clean


def category_path_text(names: Sequence[str]) -> str:
    return PATH_SEPARATOR.join(names)


def split_category_path(text: str) -> list[str]:
    """``服装 > 男装`` → ["服装", "男装"]; blank parts are dropped."""
    return [part.strip() for part in text.split(RESERVED_CHARACTER) if part.strip()]


def category_path_key(names: Sequence[str]) -> str:
    """How paths compare: each name by ``name_key``. The adapter keys its lookup the same."""
    return PATH_SEPARATOR.join(name_key(n) for n in names)


@dataclass
class Category:
    id: UUID
    name: str
    parent_id: UUID | None
    version: int = 1

    @classmethod
    def create(
        cls, category_id: UUID, name: str, parent_id: UUID | None, sibling_names: Iterable[str]
    ) -> Category:
        """``sibling_names``: the names of the new parent's children (roots for a root)."""
        return cls(category_id, check_category_name(name, sibling_names), parent_id)

    def rename(self, name: str, sibling_names: Iterable[str]) -> bool:
        """``sibling_names`` excludes this category. Returns whether anything changed."""
        clean = check_category_name(name, sibling_names)
        if clean == self.name:
            return False
        self.name = clean
        self.version += 1
        return True

    def move(
        self,
        new_parent_id: UUID | None,
        new_parent_path: Sequence[UUID],
        sibling_names: Iterable[str],
    ) -> bool:
        """Move under ``new_parent_id`` (None: to the top). ``new_parent_path``: the new
        parent's ancestors and itself, root first (empty for the top), read under the tree
        lock. Returns whether anything changed."""
        check_move(self.id, new_parent_id, new_parent_path)
        if new_parent_id == self.parent_id:
            return False
        check_category_name(self.name, sibling_names)
        self.parent_id = new_parent_id
        self.version += 1
        return True


def check_move(
    category_id: UUID, new_parent_id: UUID | None, new_parent_path: Sequence[UUID]
) -> None:
    """A category cannot move under itself or under one of its descendants."""
    if new_parent_id is None:
        if new_parent_path:
            # guard: the use case reads the parent path from the closure table
            raise ValueError("a move to the top has an empty parent path")
        return
    if not new_parent_path or new_parent_path[-1] != new_parent_id:
        # guard: the use case reads the parent path from the closure table
        raise ValueError("the parent path must end with the new parent")
    if category_id in new_parent_path:
        raise ValidationFailed.single("parentId", "category_cycle")


@dataclass(frozen=True)
class ClosureRow:
    ancestor_id: UUID
    descendant_id: UUID
    depth: int


@dataclass(frozen=True)
class ClosureChange:
    """Rows to delete, as (ancestor, descendant) pairs, and rows to insert."""

    deleted: frozenset[tuple[UUID, UUID]]
    inserted: frozenset[ClosureRow]

    @property
    def empty(self) -> bool:
        return not self.deleted and not self.inserted


def closure_rows_for_new(category_id: UUID, parent_path: Sequence[UUID]) -> frozenset[ClosureRow]:
    """A new leaf under the end of ``parent_path`` (root first; empty for a root)."""
    rows = {ClosureRow(category_id, category_id, 0)}
    rows.update(
        ClosureRow(ancestor, category_id, len(parent_path) - i)
        for i, ancestor in enumerate(parent_path)
    )
    return frozenset(rows)


def closure_change_for_move(
    category_id: UUID,
    old_parent_path: Sequence[UUID],
    new_parent_path: Sequence[UUID],
    subtree: Mapping[UUID, int],
) -> ClosureChange:
    """The closure rows a subtree move implies.

    ``old_parent_path`` / ``new_parent_path``: the old and new parent's ancestors and
    themselves, root first (empty: the top). ``subtree``: every descendant of the moved
    category, itself included, with its depth below it (itself: 0) — the closure rows
    whose ancestor is the moved category. Rows inside the subtree stay; rows linking the
    old ancestors to the subtree go; rows linking the new ancestors to it come.
    """
    if subtree.get(category_id) != 0:
        # guard: the subtree is read from the closure table, which holds (c, c, 0)
        raise ValueError("the subtree must hold the moved category at depth 0")
    if category_id in new_parent_path or any(d in new_parent_path for d in subtree):
        raise ValidationFailed.single("parentId", "category_cycle")
    if list(old_parent_path) == list(new_parent_path):
        return ClosureChange(frozenset(), frozenset())
    deleted = frozenset((a, d) for a in old_parent_path for d in subtree)
    inserted = frozenset(
        ClosureRow(ancestor, descendant, len(new_parent_path) - i + depth)
        for i, ancestor in enumerate(new_parent_path)
        for descendant, depth in subtree.items()
    )
    return ClosureChange(deleted, inserted)
