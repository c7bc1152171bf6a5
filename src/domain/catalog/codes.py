"""Product and SKU codes, and barcodes (CAT-1).

Codes: 1–64 ASCII letters, digits, ``.``, ``_`` or ``-``, beginning with a letter or a digit
(so a code never begins with a character a spreadsheet reads as a formula). Stored as
typed; compared case-insensitively (``code_key``), so ``ts-01`` and ``TS-01`` cannot both
exist. Uniqueness within a product is checked here; within the tenant it is the database's
job (a unique index on ``(tenant_id, code_key)``), archived SKUs included, so an old
order's SKU code always names one SKU.

Barcodes: an all-digit value of 8, 12, 13 or 14 digits is a GTIN (EAN-8, UPC-A, EAN-13,
GTIN-14) and must carry a valid GS1 check digit — a mistyped scan is caught. Anything else
is an internal code: 1–32 ASCII letters, digits, ``.``, ``_`` or ``-``, beginning with a
letter or a digit. (An internal code that is all digits must therefore avoid those four
lengths, e.g. by a letter prefix.) GTINs compare in their 14-digit form (``barcode_key``),
so a UPC-A and the same number written as an EAN-13 are the same barcode.
"""

from __future__ import annotations

import re

from domain.catalog.checks import FieldChecks
from domain.shared.errors import FieldError

MAX_CODE_LENGTH = 64
MAX_INTERNAL_BARCODE_LENGTH = 32
GTIN_LENGTHS = frozenset({8, 12, 13, 14})

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_INTERNAL_BARCODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def code_key(code: str) -> str:
    return code.upper()


def check_code(check: FieldChecks, path: str, value: str | None) -> str | None:
    code = (value or "").strip()
    if not code:
        check.add(FieldError(path, "required"))
        return None
    if len(code) > MAX_CODE_LENGTH:
        check.add(FieldError(path, "too_long", {"max": MAX_CODE_LENGTH}))
        return None
    if not code.isascii() or not CODE.match(code):
        check.add(FieldError(path, "invalid_code"))
        return None
    return code


def gtin_check_digit(body: str) -> int:
    """GS1 check digit of the digits before it: weights 3, 1, 3, … from the right."""
    digits = body[::-1]
    total = 3 * sum(map(int, digits[::2])) + sum(map(int, digits[1::2]))
    return (10 - total % 10) % 10


def is_gtin(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) in GTIN_LENGTHS


def barcode_key(barcode: str) -> str:
    return barcode.zfill(14) if is_gtin(barcode) else barcode.upper()


def check_barcode(check: FieldChecks, path: str, value: str | None) -> str | None:
    """None for a blank barcode (barcodes are optional)."""
    barcode = (value or "").strip()
    if not barcode:
        return None
    if is_gtin(barcode):
        if gtin_check_digit(barcode[:-1]) != int(barcode[-1]):
            check.add(FieldError(path, "invalid_barcode_check_digit"))
            return None
        return barcode
    if len(barcode) > MAX_INTERNAL_BARCODE_LENGTH:
        check.add(FieldError(path, "too_long", {"max": MAX_INTERNAL_BARCODE_LENGTH}))
        return None
    if not barcode.isascii() or not _INTERNAL_BARCODE.match(barcode):
        check.add(FieldError(path, "invalid_barcode"))
        return None
    return barcode
