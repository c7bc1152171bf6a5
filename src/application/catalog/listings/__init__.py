"""Listings of products on sales channels (CAT-7, CHN-1, CAT-10): one file per use case,
run through ``UseCases``."""

from application.catalog.listings.publish import PublishListing as PublishListing
from application.catalog.listings.queries import ListingsOf as ListingsOf
from application.catalog.listings.set_prices import SetListingPrices as SetListingPrices
from application.catalog.listings.unpublish import UnpublishListing as UnpublishListing
