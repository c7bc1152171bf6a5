"""The base of every wire type: camelCase on the wire, unknown input fields refused, and
money as a ``Decimal`` that travels as a JSON string (docs/architecture.md, "HTTP").

Inputs derive from ``WireIn``, outputs from ``WireOut``. msgspec encodes a ``Decimal`` as a
string ("99.50", exactly as ``str`` spells it) and decodes one from a string, so an amount is
never a float anywhere between the client and the database.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

import msgspec

from application.shared.pagination import Page
from domain.catalog.checks import MAX_AMOUNT, PLAIN_DECIMAL

# What the OpenAPI document says of an amount: a string of plain decimal text.
DECIMAL_SCHEMA: dict[str, Any] = {"format": "decimal", "pattern": PLAIN_DECIMAL.pattern}

Amount = Annotated[Decimal, msgspec.Meta(extra_json_schema={"extra": DECIMAL_SCHEMA})]
"""A sum of money (or a price): decimal text such as "99.5" on the wire, a ``Decimal`` here."""


def camel(name: str) -> str:
    """A Python name as the wire writes it (``sku_code`` → ``skuCode``), as the wire types'
    ``rename="camel"`` does."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def decimal_in(places: int, digits: int, *, positive: bool = False) -> msgspec.Meta:
    """A decimal a request sends, as the service accepts it: not negative (``positive``:
    not zero either), at most ``digits`` before the point and ``places`` after it (stated;
    checked by the domain)."""
    nonzero = "(?=[0-9.]*[1-9])" if positive else ""
    pattern = f"^{nonzero}[0-9]{{1,{digits}}}(?:\\.[0-9]{{1,{places}}})?$"
    return msgspec.Meta(extra_json_schema={"extra": {"format": "decimal", "pattern": pattern}})


# A sum of money sent: below MAX_AMOUNT, to the fen (the minor unit of CNY; a currency
# with fewer places refuses more, ``too_many_decimal_places``).
_AMOUNT_DIGITS = len(str(MAX_AMOUNT)) - 1  # MAX_AMOUNT is 10**n: n digits below it
AmountIn = Annotated[Decimal, decimal_in(2, _AMOUNT_DIGITS)]
# A sum of money that must move something: a payment, a refund.
PositiveAmountIn = Annotated[Decimal, decimal_in(2, _AMOUNT_DIGITS, positive=True)]


T = TypeVar("T")
S = TypeVar("S")


@cache
def _parameters(target: Callable[..., object]) -> tuple[str, ...]:
    return tuple(inspect.signature(target).parameters)


class WireIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """A request body: camelCase fields; a field the API does not know is a 400, not ignored.

    ``EXCLUSIVE``: pairs of wire fields that name one thing two ways (an id, or a code or a
    path), of which a body gives at most one; ``ONE_NEEDED``: pairs of which it gives one.
    The OpenAPI document states both (``entrypoints/http/openapi.py``)."""

    EXCLUSIVE: ClassVar[tuple[tuple[str, str], ...]] = ()
    ONE_NEEDED: ClassVar[tuple[tuple[str, str], ...]] = ()

    def to(self, target: Callable[..., T], **given: Any) -> T:
        """``target`` (a use case's input) called with each of its parameters not in
        ``given`` read from this body's field of the same name:
        ``data.to(NewUser, role_keys=data.roles)``."""
        for name in _parameters(target):
            if name not in given:
                given[name] = getattr(self, name)
        return target(**given)


class WireOut(msgspec.Struct, rename="camel"):
    """A response body: camelCase fields."""

    @classmethod
    def of(cls, source: object, /, **fields: Any) -> Self:
        """The body with every field not given in ``fields`` read from ``source``'s
        attribute of the same name: ``EndpointOut.of(endpoint, event_types=[...])`` (a field
        named ``source`` may be given too: ``source`` is positional only)."""
        for name in cls.__struct_fields__:
            if name not in fields:
                fields[name] = getattr(source, name)
        return cls(**fields)


class PageOut(WireOut, Generic[T]):
    """A page of a listing: its items and the cursor of the next page (None: the last).

    Each listing has its own, which names its items' type again, since Litestar's OpenAPI
    schema does not resolve a generic base's parameter; so the document keeps one schema
    per listing under its name::

        class JobPageOut(PageOut[JobOut]):
            items: list[JobOut]
    """

    items: list[T]
    next_cursor: str | None

    @classmethod
    def of_page(cls, page: Page[S], out: Callable[[S], T]) -> Self:
        """The page with each item mapped by ``out``: ``JobPageOut.of_page(page, job_out)``."""
        return cls([out(item) for item in page.items], page.next_cursor)
