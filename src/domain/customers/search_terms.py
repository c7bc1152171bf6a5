"""Name search through equality on grams (docs/architecture.md, pitfalls: LIKE under RLS).

A name is indexed by its *terms*: every CJK character and every pair of adjacent CJK
characters, plus every prefix (up to ``MAX_PREFIX`` characters) of each word of other
letters and digits, all NFKC-normalised and case-folded. A query's terms are its CJK
pairs (a single CJK character stands for itself) and its words, cut at ``MAX_PREFIX``.
A customer is a candidate when its name holds *all* of the query's terms; the caller then
confirms that the name really contains the query (``name_matches``), since terms say
nothing about order: "三丰张三" holds both terms of "张三丰" (张三, 三丰) without containing it.

So Chinese names are found by any part of them ("三丰" finds 张三丰), other words by their
beginnings ("zha" finds Zhang, "ang" does not). Adapters store keyed hashes of terms,
never the terms.
"""

from __future__ import annotations

from domain.shared.text import cjk_grams, cjk_pairs, normalise, runs

MAX_PREFIX = 20


def name_terms(name: str) -> frozenset[str]:
    """Everything a name can be found by."""
    terms: set[str] = set()
    for cjk, run in runs(name):
        if cjk:
            terms |= cjk_grams(run)
        else:
            terms.update(run[:k] for k in range(1, min(len(run), MAX_PREFIX) + 1))
    return frozenset(terms)


def query_terms(query: str) -> frozenset[str]:
    """The terms a matching name must all hold; empty when the query has nothing to find."""
    terms: set[str] = set()
    for cjk, run in runs(query):
        if cjk:
            terms |= cjk_pairs(run)
        else:
            terms.add(run[:MAX_PREFIX])
    return frozenset(terms)


def name_matches(name: str, query: str) -> bool:
    """The confirmation after the term lookup: the name contains the query, ignoring case."""
    return " ".join(normalise(query).split()) in " ".join(normalise(name).split())
