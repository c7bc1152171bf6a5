"""References as callers give them (#9 item 16): an id, or what people call the thing (a
code, a name, a path). Each module resolves its own kinds; what they share is reading an
id out of a reference."""

from __future__ import annotations

from uuid import UUID

# An id, or a string holding an id or what people call the thing.
Reference = UUID | str


def id_in(reference: Reference) -> UUID | None:
    """The id ``reference`` is or spells; None when it is a code, a name or a path."""
    if isinstance(reference, UUID):
        return reference
    try:
        return UUID(reference.strip())
    except ValueError:
        return None
