"""``OrderFiles``: an order file by its format — ``csv`` or ``xlsx`` (Shopify's order
export layout) or ``json`` (the connector port's wire shape)."""

from __future__ import annotations

from datetime import datetime

from adapters.channels.files.json_orders import read_json
from adapters.channels.files.shopify_export import read_shopify_export
from application.catalog.ports.files import TableFiles
from application.orders.channels.ports import FileOrder
from domain.shared.file_rows import RowError


class OrderFileReader:
    def __init__(self, tables: TableFiles) -> None:
        self._tables = tables

    def read(
        self, content: bytes, file_format: str, now: datetime
    ) -> tuple[list[FileOrder], list[RowError]]:
        if file_format == "json":
            return read_json(content, now)
        return read_shopify_export(self._tables, content, file_format, now)
