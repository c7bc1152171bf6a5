"""The price query (CAT-10), gathered by ``PriceQuoteService``."""

from application.catalog.price_quotes.quote import QuoteView
from application.catalog.price_quotes.service import PriceQuoteService

__all__ = ["PriceQuoteService", "QuoteView"]
