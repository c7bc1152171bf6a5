"""What a person reads in an exported catalog sheet (CAT-2; #9 item 20): the sheet's name
and a label above each column code, from the messages in the export's language."""

from __future__ import annotations

from domain.catalog.file_layout import ATTRIBUTE_PREFIX
from entrypoints.messages import message


class CatalogSheetLabels:
    """``column_<code>`` for the layout's columns; ``attr.<code>`` columns read
    ``column_attribute`` with the attribute's code."""

    def sheet_name(self, language: str) -> str:
        return message("export_sheet_name", language)

    def column_label(self, column: str, language: str) -> str:
        if column.startswith(ATTRIBUTE_PREFIX):
            return message(
                "column_attribute", language, attribute=column.removeprefix(ATTRIBUTE_PREFIX)
            )
        return message(f"column_{column}", language)
