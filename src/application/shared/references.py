"""References as callers give them (#9 item 16): an id, or what people call the thing (a
code, a name, a path). Each module resolves its own kinds; what they share is reading an
id out of a reference, and the rule for a body that may name a thing two ways.

A body names a thing by its id field (``categoryId``: the wire parses it, so it arrives
as a ``UUID``) or by its reference field (``category``: a path, a name, a code, or an id
spelled as text, so it arrives as a ``str``) — not both. An id given as such is passed on
as it was, so the use case that loads it answers as it always did; a reference is
resolved, and one that names nothing is a 422 on the reference field.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar
from uuid import UUID

from application.shared.unit_of_work import UnitOfWork
from domain.shared.errors import FieldError, ValidationFailed

# An id, or a string holding an id or what people call the thing.
Reference = UUID | str
# A module's resolver: the id ``reference`` names, or the field error saying it names none.
Resolver = Callable[[UnitOfWork, str, Reference], Awaitable[UUID | FieldError]]
IdT = TypeVar("IdT")  # what the id field holds
RefT = TypeVar("RefT")  # what the reference field holds


def id_in(reference: Reference) -> UUID | None:
    """The id ``reference`` is or spells; None when it is a code, a name or a path."""
    if isinstance(reference, UUID):
        return reference
    try:
        return UUID(reference.strip())
    except ValueError:
        return None


def named_once(
    by_id: IdT | None,
    by_reference: RefT | None,
    *,
    id_field: str,
    field: str,
    code: str = "given_twice",
) -> IdT | RefT | None:
    """What a body gave in ``id_field`` or in ``field`` (not both: a 422 ``code`` on
    ``field``); None when neither."""
    if by_id is not None and by_reference is not None:
        raise ValidationFailed.single(field, code, id_field=id_field)
    return by_id if by_id is not None else by_reference


async def resolved(
    uow: UnitOfWork, resolve: Resolver, field: str, reference: Reference
) -> UUID | FieldError:
    """An id given as such as it is; text resolved, its error naming ``field``."""
    if isinstance(reference, UUID):
        return reference
    return await resolve(uow, field, reference)


async def resolved_or_raise(
    uow: UnitOfWork, resolve: Resolver, field: str, reference: Reference
) -> UUID:
    """``resolved``, with an unknown reference raised as the 422 it is."""
    found = await resolved(uow, resolve, field, reference)
    if isinstance(found, FieldError):
        raise ValidationFailed([found])
    return found
