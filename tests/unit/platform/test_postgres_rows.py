"""The tenant repositories' shared helpers (adapters/postgres/shared/rows.py, #8): records
read from and written to rows named as their fields, and the versioned write's check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Text, select
from sqlalchemy.engine import create_engine

from adapters.postgres.shared.rows import from_row, one_updated, values_of
from domain.shared.errors import StaleVersion

_things = Table(
    "things",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("name", Text),
    Column("tags", Text),
)


@dataclass
class Thing:
    id: int
    name: str
    tags: tuple[str, ...]
    notes: list[str] = field(default_factory=list)  # no column: keeps its default


def _row(**values: Any) -> Any:
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        _things.create(conn)
        conn.execute(_things.insert().values(**values))
        return conn.execute(select(_things)).one()


def test_a_record_is_read_from_its_columns_a_field_without_one_keeps_its_default() -> None:
    row = _row(id=7, name="Tea", tags="green,loose")
    thing = from_row(Thing, row, tags=tuple(row.tags.split(",")))
    assert thing == Thing(7, "Tea", ("green", "loose"), [])


def test_a_required_field_no_column_names_fails() -> None:
    @dataclass
    class Wider:
        id: int
        colour: str

    with pytest.raises(TypeError):
        from_row(Wider, _row(id=1, name="x", tags=""))


def test_values_are_read_from_the_record_for_the_named_columns() -> None:
    thing = Thing(3, "Cup", ("a", "b"), ["not a column"])
    values = values_of(thing, (_things.c.id, _things.c.name, _things.c.tags), tags="a,b")
    assert values == {"id": 3, "name": "Cup", "tags": "a,b"}


def test_a_versioned_write_that_found_no_row_is_stale() -> None:
    one_updated(1, 4)
    with pytest.raises(StaleVersion) as raised:
        one_updated(0, 4)
    assert raised.value.params == {"expected": 4}
