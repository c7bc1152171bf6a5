"""The tenant's membership tiers (CAT-10): a setting the member prices name.

A tier is a code (``pricing.TIER_CODE``, stable: member prices and, later, customers name
it) and a display name, in the tenant's order (lowest tier first). The list is replaced as
a whole; codes are unique in it. Customers get their tier with the customer module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.catalog.checks import FieldChecks
from domain.catalog.pricing import TIER_CODE
from domain.shared.errors import FieldError

MAX_TIERS = 20
MAX_TIER_NAME_LENGTH = 50


@dataclass(frozen=True)
class MembershipTier:
    code: str
    name: str


def checked_tiers(tiers: Sequence[tuple[str, str]]) -> tuple[MembershipTier, ...]:
    """(code, name) pairs as tiers, every mistake reported at once at ``tiers[i].…``."""
    check = FieldChecks()
    if len(tiers) > MAX_TIERS:
        check.add(FieldError("tiers", "too_many", {"max": MAX_TIERS}))
    seen: set[str] = set()
    clean: list[MembershipTier] = []
    for i, (code, name) in enumerate(tiers):
        if not TIER_CODE.match(code):
            check.add(FieldError(f"tiers[{i}].code", "invalid_tier_code"))
        elif code in seen:
            check.add(FieldError(f"tiers[{i}].code", "duplicate"))
        seen.add(code)
        clean_name = check.text(f"tiers[{i}].name", name, MAX_TIER_NAME_LENGTH, required=True)
        clean.append(MembershipTier(code, clean_name or ""))
    check.raise_if_failed()
    return tuple(clean)
