"""The category tree (CAT-4): sibling names, cycle refusal and the closure rows a move
implies."""

from __future__ import annotations

import uuid
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.catalog.category import (
    Category,
    ClosureRow,
    category_path_key,
    check_move,
    closure_change_for_move,
    closure_rows_for_new,
    split_category_path,
)
from domain.shared.errors import Conflict, ValidationFailed


def test_names_are_unique_among_siblings_ignoring_case_and_width() -> None:
    category = Category.create(uuid.uuid4(), " 男装 ", None, ["女装"])
    assert category.name == "男装"
    with pytest.raises(Conflict) as caught:
        Category.create(uuid.uuid4(), "ｔ恤", None, ["T恤"])
    assert caught.value.code == "category_name_taken"
    assert category.rename("男装", ["女装"]) is False
    assert category.rename("男士服装", ["女装"]) is True and category.version == 2


def test_the_path_separator_is_reserved() -> None:
    with pytest.raises(ValidationFailed) as caught:
        Category.create(uuid.uuid4(), "A > B", None, [])
    assert caught.value.errors[0].code == "reserved_character"
    assert split_category_path(" 服装 >男装> T恤 ") == ["服装", "男装", "T恤"]
    assert category_path_key(["服装", "T恤"]) == category_path_key(["服装 ", "ｔ恤"])


def test_a_category_cannot_move_under_itself_or_a_descendant() -> None:
    root, child, grandchild = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    for new_parent, path in ((root, [root]), (grandchild, [root, child, grandchild])):
        with pytest.raises(ValidationFailed) as caught:
            check_move(root if new_parent == root else child, new_parent, path)
        assert caught.value.errors[0].code == "category_cycle"
    check_move(grandchild, root, [root])
    check_move(child, None, [])


def test_move_checks_the_names_of_the_new_siblings() -> None:
    parent = uuid.uuid4()
    category = Category.create(uuid.uuid4(), "配件", None, [])
    with pytest.raises(Conflict):
        category.move(parent, [parent], ["配件"])
    assert category.parent_id is None
    assert category.move(parent, [parent], ["鞋"]) is True and category.parent_id == parent
    assert category.move(parent, [parent], ["鞋"]) is False


# A forest as parent pointers: node i's parent is None or a node before it.
forests = st.integers(2, 14).flatmap(
    lambda n: st.tuples(
        *[st.just(None)] + [st.one_of(st.none(), st.integers(0, i - 1)) for i in range(1, n)]
    )
)


def _ids(n: int) -> list[UUID]:
    return [UUID(int=i + 1) for i in range(n)]


def _path(parents: list[int | None], node: int | None) -> list[int]:
    """Ancestors and the node itself, root first."""
    path: list[int] = []
    while node is not None:
        path.insert(0, node)
        node = parents[node]
    return path


def _closure(parents: list[int | None], ids: list[UUID]) -> set[ClosureRow]:
    rows = set()
    for node in range(len(parents)):
        path = _path(parents, node)
        for depth, ancestor in enumerate(reversed(path)):
            rows.add(ClosureRow(ids[ancestor], ids[node], depth))
    return rows


def _subtree(parents: list[int | None], node: int) -> dict[int, int]:
    return {
        d: len(_path(parents, d)) - len(_path(parents, node))
        for d in range(len(parents))
        if node in _path(parents, d)
    }


@given(forests, st.data())
def test_closure_rows_of_a_move_give_the_closure_of_the_moved_tree(
    parents_tuple: tuple[int | None, ...], data: st.DataObject
) -> None:
    """Closure rows: the stored closure minus the deleted pairs plus the inserted rows is
    exactly the closure of the tree after the move; moving under itself or a descendant is
    refused."""
    parents = list(parents_tuple)
    ids = _ids(len(parents))
    node = data.draw(st.integers(0, len(parents) - 1))
    subtree = _subtree(parents, node)
    outside = [n for n in range(len(parents)) if n not in subtree]
    new_parent = data.draw(st.one_of(st.none(), st.sampled_from(outside) if outside else st.none()))
    old_path = [ids[n] for n in _path(parents, parents[node])]
    new_path = [ids[n] for n in _path(parents, new_parent)]
    subtree_ids = {ids[d]: depth for d, depth in subtree.items()}

    change = closure_change_for_move(ids[node], old_path, new_path, subtree_ids)
    before = _closure(parents, ids)
    assert {(r.ancestor_id, r.descendant_id) for r in before} >= change.deleted
    after = {r for r in before if (r.ancestor_id, r.descendant_id) not in change.deleted}
    after |= change.inserted
    parents[node] = new_parent
    assert after == _closure(parents, ids)
    check_move(ids[node], ids[new_parent] if new_parent is not None else None, new_path)

    inside = data.draw(st.sampled_from(sorted(subtree)))
    inside_path = [ids[n] for n in _path(parents, inside)]
    with pytest.raises(ValidationFailed):
        check_move(ids[node], ids[inside], inside_path)
    with pytest.raises(ValidationFailed):
        closure_change_for_move(ids[node], new_path, inside_path, subtree_ids)


def test_closure_rows_of_a_new_category() -> None:
    root, child, new = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert closure_rows_for_new(new, [root, child]) == {
        ClosureRow(new, new, 0),
        ClosureRow(child, new, 1),
        ClosureRow(root, new, 2),
    }
    assert closure_rows_for_new(root, []) == {ClosureRow(root, root, 0)}


def test_moving_to_the_same_parent_changes_no_rows() -> None:
    root, node = uuid.uuid4(), uuid.uuid4()
    assert closure_change_for_move(node, [root], [root], {node: 0}).empty
