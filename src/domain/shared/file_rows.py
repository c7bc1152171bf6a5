"""A row of an imported file (CSV or XLSX) that could not be read: its row as a
spreadsheet numbers it (the header is row 1), the column, and the coded reason with its
parameters. Shared by every module that reads files (catalog imports, order imports,
opening stock, carrier statements), so none needs another module's domain for it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
