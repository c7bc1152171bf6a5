"""Listings of products on sales channels (CAT-7, CHN-1, CAT-10): one file per use case,
gathered by ``ListingService``."""

from application.catalog.listings.service import ListingService

__all__ = ["ListingService"]
