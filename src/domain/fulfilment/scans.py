"""What a scan is compared with: a barcode as the catalog keys it (GTINs in their 14-digit
form, other codes upper-cased). A scan that does not belong is a ``Conflict``:
``scan_wrong_item`` (nothing of the wave or parcel has that code), ``scan_extra_unit``
(every unit of it is scanned already), ``scan_serial_needed``, ``scan_serial_repeated``,
``scan_serial_not_in_stock``."""

from __future__ import annotations

from domain.catalog.codes import barcode_key


def scan_key(code: str) -> str:
    """The catalog's key of a barcode, for a code as a scanner sends it."""
    return barcode_key(code.strip())


def same_item(code: str, sku_code: str, barcode: str | None) -> bool:
    """Whether a scanned code names the SKU: its barcode, or its code (a label printed
    by the warehouse)."""
    key = scan_key(code)
    return key == scan_key(sku_code) or (barcode is not None and key == scan_key(barcode))
