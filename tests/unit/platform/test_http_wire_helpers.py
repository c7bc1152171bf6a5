"""The HTTP layer's shared helpers: a wire body read from a source's attributes, a
use case's input read from a request body, a page of a listing, and a read or update
answered with the entity's ETag (#8)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

import pytest

from application.shared.pagination import Page
from entrypoints.http.conventions import etagged
from entrypoints.http.wire import PageOut, WireIn, WireOut
from tests.support.built_app import routes_app


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


class ThingPageOut(PageOut[ThingOut]):
    items: list[ThingOut]


def test_a_page_maps_its_items_and_keeps_the_cursor() -> None:
    things = [Thing(uuid4(), "Lamp", ("x",), 1), Thing(uuid4(), "Desk", (), 2)]

    body = ThingPageOut.of_page(Page(things, "next"), thing_out)

    assert body == ThingPageOut([thing_out(t) for t in things], "next")
    assert ThingPageOut.of_page(Page([], None), thing_out) == ThingPageOut([], None)


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set(cls.__subclasses__())
    return found.union(*(_subclasses(c) for c in found))


def test_every_listing_names_its_items_type() -> None:
    """A page that only inherits ``items: list[T]`` would be published as a list of bare
    objects: Litestar's schema does not resolve the generic base's parameter."""
    routes_app()  # imports every module's schemas
    pages = _subclasses(PageOut)
    assert len(pages) >= 13
    assert not [p.__name__ for p in pages if "items" not in vars(p).get("__annotations__", {})]


class ThingIn(WireIn):
    display_name: str
    tags: list[str] = []
    ignored: str | None = None


@dataclass(frozen=True)
class NewThing:
    display_name: str
    tags: tuple[str, ...] = ()


def test_to_reads_each_parameter_not_given_from_the_field_of_that_name() -> None:
    body = ThingIn("Lamp", ["b", "a"], "not a parameter of NewThing")

    assert body.to(NewThing) == NewThing("Lamp", ["b", "a"])  # type: ignore[arg-type]
    assert body.to(NewThing, tags=("a", "b")) == NewThing("Lamp", ("a", "b"))


def test_to_refuses_a_target_with_a_parameter_the_body_lacks() -> None:
    @dataclass(frozen=True)
    class NewOther:
        colour: str

    with pytest.raises(AttributeError):
        ThingIn("Lamp").to(NewOther)
