"""The HTTP layer's shared helpers: a wire body read from a source's attributes, and a
read or update answered with the entity's ETag (#8)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

import pytest

from entrypoints.http.conventions import etagged
from entrypoints.http.wire import WireOut


class ThingOut(WireOut):
    id: UUID
    display_name: str
    tags: list[str]
    version: int


@dataclass(frozen=True)
class Thing:
    id: UUID
    display_name: str
    tags: tuple[str, ...]
    version: int
    secret: str = "never on the wire"


def thing_out(thing: Thing) -> ThingOut:
    return ThingOut.of(thing, tags=sorted(thing.tags))


def test_of_reads_every_field_not_given_from_the_attribute_of_that_name() -> None:
    thing = Thing(uuid4(), "Lamp", ("b", "a"), 3)

    body = ThingOut.of(thing)

    assert body == ThingOut(thing.id, "Lamp", ("b", "a"), 3)  # type: ignore[arg-type]


def test_of_takes_the_fields_given_as_they_are() -> None:
    thing = Thing(uuid4(), "Lamp", ("b", "a"), 3)

    assert thing_out(thing) == ThingOut(thing.id, "Lamp", ["a", "b"], 3)


def test_of_refuses_a_source_without_a_field() -> None:
    @dataclass
    class Partial:
        id: UUID

    with pytest.raises(AttributeError):
        ThingOut.of(Partial(uuid4()))


def test_etagged_answers_the_body_with_the_entitys_version() -> None:
    thing = Thing(uuid4(), "Lamp", (), 7)

    response = etagged(thing_out, thing)

    assert response.content == ThingOut(thing.id, "Lamp", [], 7)
    assert response.status_code == 200
    assert response.headers["ETag"] == '"v7"'
