"""Phone numbers parsed and normalised with Google's libphonenumber (``phonenumbers``)."""

from __future__ import annotations

import phonenumbers

from domain.customers.customer import PhoneNumber


class LibPhoneNumberParser:
    """``PhoneNumberParser`` over Google's libphonenumber (the ``phonenumbers`` package)."""

    def __init__(self, default_region: str = "CN") -> None:
        self._default_region = default_region

    def parse(self, raw: str) -> PhoneNumber | None:
        try:
            number = phonenumbers.parse(raw, self._default_region)
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_valid_number(number) or number.country_code is None:
            return None
        return PhoneNumber(number.country_code, phonenumbers.national_significant_number(number))
