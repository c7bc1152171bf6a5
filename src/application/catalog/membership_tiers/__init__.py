"""The tenant's membership tiers (CAT-10): one file per use case, run through
``UseCases``."""

from application.catalog.membership_tiers.queries import GetTiers as GetTiers
from application.catalog.membership_tiers.replace import ReplaceTiers as ReplaceTiers
