"""The price query (CAT-10), run through ``UseCases``."""

from application.catalog.price_quotes.quote import QuotePrice as QuotePrice
from application.catalog.price_quotes.quote import QuoteView as QuoteView
