"""Reading a settings form: its text fields and its ticked boxes (a list of checkboxes of
one name arrives as that name repeated)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from litestar import Request

from domain.identity.permissions import ALL_PERMISSIONS


async def form_of(request: Request[Any, Any, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(first value of each field, every value of each field)."""
    form = await request.form()
    texts = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    lists = {key: [str(v) for v in form.getall(key)] for key in form}
    return texts, lists


def permission_groups() -> list[tuple[str, list[str]]]:
    """Every permission the service declares, by module (``orders:review`` → orders)."""
    ordered = sorted(ALL_PERMISSIONS)
    return [(group, list(items)) for group, items in groupby(ordered, lambda p: p.split(":")[0])]
