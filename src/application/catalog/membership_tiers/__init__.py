"""The tenant's membership tiers (CAT-10): one file per use case, gathered by
``MembershipTierService``."""

from application.catalog.membership_tiers.service import MembershipTierService

__all__ = ["MembershipTierService"]
