"""Product search through equality on terms (CAT-12; docs/architecture.md, pitfalls: under RLS
only leakproof operators use an index, so no LIKE and no trigrams).

A product is indexed by the terms of its name, of its codes (product and SKU) and of its
barcodes, stored one row each in ``product_search_terms (tenant_id, term, product_id)``.
Text is NFKC-normalised (full-width ＡＢＣ１２ → abc12) and case-folded first.

- **Name**: every CJK character and every pair of adjacent CJK characters; for each run of
  other letters and digits (a "word": ``iphone15``), its prefixes of 2 to 20 characters,
  and the word itself when it has one character. A one-letter prefix is not a term: it
  would match most of a catalog and make the posting lists of a 100,000-product tenant
  useless, so Latin queries find by prefix from their second letter.
- **Codes** (``sku:``-prefixed): every prefix of 2 to 32 characters of each code, and the
  whole code; case-folded, since codes compare case-insensitively.
- **Barcodes** (``bar:``-prefixed): the same; and a GTIN also as its 14-digit form
  (``gtin:``), so scanning a UPC-A finds the EAN-13 spelling of the same number.

A query (``search_query``) yields name terms, of which a product must hold *all* — the
union over its words (split on whitespace) of their CJK terms (``query_run_terms``: 蓝牙
needs 蓝牙, 蓝牙耳机 needs 蓝牙 and 耳机, ``蓝牙 耳机`` needs 蓝牙 and 耳机) and their Latin
words cut at 20 — and, when it looks like a code, one code term and barcode terms, of which
one is enough. Name candidates are then confirmed with ``name_matches``: the name contains
every word of the query, in any order; a word written in CJK characters alone may also be
found as pieces of two or more characters in any order (Chinese writes no spaces:
耳机蓝牙 finds 降噪蓝牙耳机, #9 item 14; docs/decisions.md, 31).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from domain.catalog.codes import is_gtin
from domain.shared.text import cjk_grams, is_cjk, normalise, runs

MIN_WORD_PREFIX = 2
MAX_WORD_PREFIX = 20
MIN_PIECE = 2  # the shortest piece a CJK query word may be cut into (no single characters)
MIN_CODE_PREFIX = 2
MAX_CODE_PREFIX = 32
CODE_TERM = "sku:"
BARCODE_TERM = "bar:"
GTIN_TERM = "gtin:"

_CODE_LIKE = re.compile(r"^[0-9a-z][0-9a-z._-]*$")


def name_terms(name: str) -> frozenset[str]:
    terms: set[str] = set()
    for cjk, run in runs(name):
        if cjk:
            terms |= cjk_grams(run)
        elif len(run) < MIN_WORD_PREFIX:
            terms.add(run)
        else:
            terms.update(
                run[:k] for k in range(MIN_WORD_PREFIX, min(len(run), MAX_WORD_PREFIX) + 1)
            )
    return frozenset(terms)


def _prefix_terms(namespace: str, value: str) -> set[str]:
    key = normalise(value.strip())
    terms = {
        namespace + key[:k] for k in range(MIN_CODE_PREFIX, min(len(key), MAX_CODE_PREFIX) + 1)
    }
    terms.add(namespace + key)
    return terms


def code_terms(code: str) -> frozenset[str]:
    return frozenset(_prefix_terms(CODE_TERM, code))


def barcode_terms(barcode: str) -> frozenset[str]:
    terms = _prefix_terms(BARCODE_TERM, barcode)
    if is_gtin(barcode):
        terms.add(GTIN_TERM + barcode.zfill(14))
    return frozenset(terms)


def product_terms(name: str, codes: Iterable[str], barcodes: Iterable[str]) -> frozenset[str]:
    """Every term of a product: its name, its code and its SKUs' codes, their barcodes."""
    terms = set(name_terms(name))
    for code in codes:
        terms |= code_terms(code)
    for barcode in barcodes:
        terms |= barcode_terms(barcode)
    return frozenset(terms)


@dataclass(frozen=True)
class SearchQuery:
    """A product matches when it holds every ``name_terms`` (and ``name_matches`` confirms),
    or holds ``code_term``, or holds any of ``barcode_terms``."""

    name_terms: frozenset[str]
    code_term: str | None
    barcode_terms: frozenset[str]

    @property
    def empty(self) -> bool:
        return not self.name_terms and self.code_term is None and not self.barcode_terms


def query_run_terms(run: str) -> set[str]:
    """What a CJK query run needs for a product to be a candidate: its first and its last
    pair (a single character stands for itself). A run of four or more characters may be
    found as pieces of two or more characters in any order (``name_matches``), and these two
    are the only pairs that stay inside one piece however it is cut; three characters are
    one piece, whose two pairs these are."""
    if len(run) <= MIN_PIECE:
        return {run}
    return {run[:MIN_PIECE], run[-MIN_PIECE:]}


def query_name_terms(query: str) -> frozenset[str]:
    terms: set[str] = set()
    for cjk, run in runs(query):
        if cjk:
            terms |= query_run_terms(run)
        else:
            terms.add(run[:MAX_WORD_PREFIX])
    return frozenset(terms)


def search_query(query: str) -> SearchQuery:
    """The terms of a query. A code-like query (one ASCII token) is also looked up as a code
    and a barcode: up to 32 characters it matches as a prefix, longer only exactly (prefix
    terms stop at 32, whole codes are always terms) — one term either way."""
    key = normalise(query.strip())
    code_term: str | None = None
    barcodes: set[str] = set()
    if key.isascii() and _CODE_LIKE.match(key):
        code_term = CODE_TERM + key
        barcodes.add(BARCODE_TERM + key)
        if is_gtin(key):
            barcodes.add(GTIN_TERM + key.zfill(14))
    return SearchQuery(query_name_terms(query), code_term, frozenset(barcodes))


def _found_in_pieces(word: str, text: str) -> bool:
    """Whether ``word`` (CJK characters only) can be cut into pieces of at least
    ``MIN_PIECE`` characters that ``text`` each contains, in any order."""
    if len(word) < 2 * MIN_PIECE or not all(is_cjk(char) for char in word):
        return False
    ends = [True] + [False] * len(word)  # ends[j]: word[:j] is cut into found pieces
    for j in range(MIN_PIECE, len(word) + 1):
        ends[j] = any(ends[i] and word[i:j] in text for i in range(j - MIN_PIECE + 1))
    return ends[-1]


def name_matches(name: str, query: str) -> bool:
    """The confirmation after the term lookup: the name contains every word of the query
    (split on whitespace), in any order, ignoring case and width; a word of CJK characters
    alone also matches as pieces of two or more characters in any order. ``蓝牙 耳机``,
    ``耳机 蓝牙``, 蓝牙耳机 and 耳机蓝牙 all accept 降噪蓝牙耳机 and 耳机蓝牙版; pieces of one
    character do not count, so 蓝牙耳机 does not accept 耳蓝机牙."""
    text = normalise(name)
    return all(word in text or _found_in_pieces(word, text) for word in normalise(query).split())
