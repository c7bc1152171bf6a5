"""Name search through equality on grams (ARCHITECTURE.md, pitfalls: LIKE under RLS).

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

import unicodedata
from collections.abc import Iterator

MAX_PREFIX = 20

_CJK_RANGES = (
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3134F),  # CJK extensions B-G
)


def is_cjk(char: str) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in _CJK_RANGES)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _runs(text: str) -> Iterator[tuple[bool, str]]:
    """Maximal runs of CJK characters (True) and of other letters/digits (False)."""
    run, run_is_cjk = "", False
    for char in normalise(text):
        cjk = is_cjk(char)
        if cjk or char.isalnum():
            if run and cjk != run_is_cjk:
                yield run_is_cjk, run
                run = ""
            run, run_is_cjk = run + char, cjk
        elif run:
            yield run_is_cjk, run
            run = ""
    if run:
        yield run_is_cjk, run


def name_terms(name: str) -> frozenset[str]:
    """Everything a name can be found by."""
    terms: set[str] = set()
    for cjk, run in _runs(name):
        if cjk:
            terms.update(run)
            terms.update(run[i : i + 2] for i in range(len(run) - 1))
        else:
            terms.update(run[:k] for k in range(1, min(len(run), MAX_PREFIX) + 1))
    return frozenset(terms)


def query_terms(query: str) -> frozenset[str]:
    """The terms a matching name must all hold; empty when the query has nothing to find."""
    terms: set[str] = set()
    for cjk, run in _runs(query):
        if cjk and len(run) > 1:
            terms.update(run[i : i + 2] for i in range(len(run) - 1))
        else:
            terms.add(run[:MAX_PREFIX])
    return frozenset(terms)


def name_matches(name: str, query: str) -> bool:
    """The confirmation after the term lookup: the name contains the query, ignoring case."""
    return " ".join(normalise(query).split()) in " ".join(normalise(name).split())
