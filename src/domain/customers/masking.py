"""How personal data looks to a reader without ``customers:read_pii``.

Masks are for recognising a customer one already knows ("the one ending 5678"), never
for learning who someone is:

- phone: the national number keeps its first 3 and last 4 digits (138****5678) when at
  least 4 digits stay hidden, i.e. 11 digits or more; shorter numbers show only their last
  digits — at most 4 and never more than half. Numbers outside China keep "+<country> ".
- email: the first character of the local part, ``***``, then ``@domain``.
- name: the first character and ``*``.
- address: province and city only; the line becomes ``***``; recipient, phone, district
  and postal code are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.customers.customer import Address, PhoneNumber

HOME_COUNTRY_CODE = 86
PHONE_HEAD = 3
PHONE_TAIL = 4
PHONE_MIN_HIDDEN = 4
MASK = "*"
HIDDEN_LINE = "***"


def mask_digits(digits: str) -> str:
    length = len(digits)
    if length - PHONE_HEAD - PHONE_TAIL >= PHONE_MIN_HIDDEN:
        head, tail = PHONE_HEAD, PHONE_TAIL
    else:
        head, tail = 0, min(PHONE_TAIL, length // 2)
    return digits[:head] + MASK * (length - head - tail) + digits[length - tail :]


def mask_phone(phone: PhoneNumber) -> str:
    masked = mask_digits(phone.national_number)
    if phone.country_code == HOME_COUNTRY_CODE:
        return masked
    return f"+{phone.country_code} {masked}"


def mask_email(email: str) -> str:
    local, at, domain = email.rpartition("@")
    if not at or not local:
        return HIDDEN_LINE
    return f"{local[0]}***@{domain}"


def mask_name(name: str) -> str:
    return f"{name[0]}{MASK}" if name else ""


@dataclass(frozen=True)
class MaskedAddress:
    province: str
    city: str
    line: str = HIDDEN_LINE


def mask_address(address: Address) -> MaskedAddress:
    return MaskedAddress(address.province, address.city)
