"""Product search terms (CAT-12): CJK bigrams and characters, Latin word prefixes, code and
barcode prefixes — all found by equality."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from domain.catalog.search_terms import (
    BARCODE_TERM,
    CODE_TERM,
    GTIN_TERM,
    MAX_CODE_PREFIX,
    MAX_WORD_PREFIX,
    SearchQuery,
    name_matches,
    name_terms,
    product_terms,
    query_name_terms,
    search_query,
)

cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
cjk_names = st.text(alphabet=cjk, min_size=1, max_size=15)


def _finds(query: SearchQuery, terms: frozenset[str], name: str, raw_query: str) -> bool:
    """How the adapter decides, on the product's stored terms."""
    by_name = bool(query.name_terms) and query.name_terms <= terms and name_matches(name, raw_query)
    by_code = query.code_term is not None and query.code_term in terms
    return by_name or by_code or bool(query.barcode_terms & terms)


def test_two_chinese_characters_find_every_product_containing_them() -> None:
    names = ["蓝牙耳机 Pro", "无线蓝牙音箱", "耳机蓝牙版", "蓝色牙刷"]
    query = search_query("蓝牙")
    assert query.name_terms == {"蓝牙"}
    found = [n for n in names if _finds(query, product_terms(n, [], []), n, "蓝牙")]
    assert found == ["蓝牙耳机 Pro", "无线蓝牙音箱", "耳机蓝牙版"]


def test_a_longer_query_needs_its_end_pairs_and_is_confirmed() -> None:
    """#9 item 14 changed this: 蓝牙耳机 may be found as 蓝牙 and 耳机 in any order, so a
    candidate needs only the pairs that stay whole however the word is cut."""
    assert query_name_terms("蓝牙耳机") == {"蓝牙", "耳机"}
    assert query_name_terms("无线耳机") == {"无线", "耳机"}
    assert query_name_terms("蓝牙音") == {"蓝牙", "牙音"}  # three characters: one piece
    for name, expected in (
        ("降噪蓝牙耳机", True),
        ("耳机蓝牙版", True),
        ("蓝牙音箱", False),
        ("耳蓝机牙", False),  # pieces of one character do not count
    ):
        assert (
            _finds(search_query("蓝牙耳机"), product_terms(name, [], []), name, "蓝牙耳机")
            is expected
        )


def test_single_characters_full_width_and_case() -> None:
    assert search_query("茶").name_terms == {"茶"}
    terms = name_terms("ＡＰＰＬＥ iPhone１５ 手机")
    assert {"ap", "apple", "iphone15", "手", "手机"} <= terms
    assert search_query("IPHONE").name_terms <= terms
    assert "a" not in terms  # one-letter prefixes are not terms
    assert name_terms("X 光片") >= {"x", "光片"}  # a one-letter word is its own term


def test_sku_codes_and_barcodes_match_by_prefix_or_exactly() -> None:
    code = "TS-2026-RED-XL-" + "X" * 30
    terms = product_terms("T恤", ["TS-2026", code], ["6901234567892", "SHOP-7"])
    for query in ("ts", "TS-2026-r", code.lower(), "ｔｓ－２０２６"):
        assert search_query(query).code_term in terms, query
    assert (
        search_query(code[: MAX_CODE_PREFIX + 3]).code_term not in terms
    )  # neither prefix nor whole
    assert search_query("690123").barcode_terms & terms
    assert search_query("shop-7").barcode_terms & terms
    # The same GTIN written as a UPC-A finds its EAN-13 spelling, and the other way round.
    upc = product_terms("x", [], ["036000291452"])
    assert search_query("0036000291452").barcode_terms & upc
    assert GTIN_TERM + "00036000291452" in upc
    assert search_query("蓝牙 耳机").code_term is None
    assert all(
        t.startswith((CODE_TERM, BARCODE_TERM, GTIN_TERM)) or t == "t恤" or len(t) <= 2
        for t in terms
    )


def test_nothing_to_find() -> None:
    assert search_query("  ,,  !! ").empty


@given(cjk_names)
def test_every_two_character_substring_of_a_name_is_a_term(name: str) -> None:
    """Gram extraction: every CJK character and every 2-character substring of a CJK name
    is one of its terms."""
    terms = name_terms(name)
    assert all(name[i] in terms and name[i : i + 2] in terms for i in range(len(name)))


@given(cjk_names, st.data())
def test_a_query_contained_in_a_name_is_always_found(name: str, data: st.DataObject) -> None:
    """No false negatives for CJK: when the name contains the query, the query's terms are a
    subset of the name's terms and the confirmation agrees."""
    start = data.draw(st.integers(0, len(name) - 1))
    end = data.draw(st.integers(start + 1, len(name)))
    query = name[start:end]
    assert query_name_terms(query) <= name_terms(name)
    assert name_matches(name, query)


mixed = st.text(alphabet="蓝牙耳机音箱 ProMAXab12-", max_size=10)


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


@given(mixed, st.text(alphabet="蓝牙耳机音箱 ProMAXab12", min_size=1, max_size=6), mixed)
def test_terms_never_miss_a_real_match(before: str, query: str, after: str) -> None:
    """No false negatives on mixed names: whenever a name contains the query and the
    query's Latin words are found from their beginning — not cut out of a longer word in
    front, and a trailing one-letter word not the start of a longer one — the product is
    found."""
    assume(query_name_terms(query))
    assume(not (before and _latin(before[-1]) and _latin(query[0])))
    trailing = len(query) - len(query.rstrip("".join(c for c in set(query) if _latin(c))))
    assume(not (trailing == 1 and after and _latin(after[0])))
    name = before + query + after
    assert query_name_terms(query) <= name_terms(name)
    assert _finds(search_query(query), product_terms(name, [], []), name, query)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=2, max_size=40))
def test_word_prefixes_are_capped(word: str) -> None:
    terms = name_terms(word)
    assert all(len(t) <= MAX_WORD_PREFIX for t in terms)
    assert query_name_terms(word) <= terms


def test_several_words_find_names_holding_all_of_them_in_any_order() -> None:
    """#9, item 14: the words of a query, split on whitespace, are found in any order; each
    word is still a phrase of its own."""
    names = ["降噪蓝牙耳机", "耳机蓝牙版", "蓝牙耳机 Pro", "蓝牙音箱", "降噪耳塞", "头戴耳机"]

    def found(query: str) -> list[str]:
        wanted = search_query(query)
        return [n for n in names if _finds(wanted, product_terms(n, [], []), n, query)]

    assert search_query("蓝牙 耳机").name_terms == {"蓝牙", "耳机"}
    assert found("蓝牙 耳机") == ["降噪蓝牙耳机", "耳机蓝牙版", "蓝牙耳机 Pro"]
    assert found("耳机　蓝牙") == found("蓝牙 耳机")  # a full-width space separates too
    assert found("降噪 耳机") == ["降噪蓝牙耳机"]
    assert found("PRO  蓝牙") == ["蓝牙耳机 Pro"]
    assert found("蓝牙 音箱 耳机") == []
    # Chinese writes no spaces: one CJK word is also found as pieces in any order
    assert found("蓝牙耳机") == ["降噪蓝牙耳机", "耳机蓝牙版", "蓝牙耳机 Pro"]
    assert found("耳机蓝牙") == found("蓝牙耳机")
    assert found("降噪耳机") == ["降噪蓝牙耳机"]
    assert found("牙耳机") == ["降噪蓝牙耳机", "蓝牙耳机 Pro"]  # three characters: a phrase
    assert name_matches("耳机蓝牙版", "蓝牙 耳机")
    assert name_matches("耳机蓝牙版", "蓝牙耳机")
    assert not name_matches("耳蓝机牙", "蓝牙耳机")
    assert not name_matches("蓝牙耳机pro", "pro蓝牙")  # a mixed word stays a phrase
    assert not name_matches("蓝牙耳机", "蓝牙 音箱")


words = st.text(alphabet="蓝牙耳机音箱降噪ProMAXab12-", min_size=1, max_size=6)


@given(st.lists(words, min_size=1, max_size=5), st.data())
def test_any_permutation_of_a_names_words_finds_it(
    name_words: list[str], data: st.DataObject
) -> None:
    """#9, item 14: a query made of some of the words of a product's name, in any order and
    any spacing, finds it — its terms are among the name's and the confirmation agrees."""
    name = " ".join(name_words)
    chosen = data.draw(st.lists(st.sampled_from(name_words), min_size=1, max_size=5))
    query = data.draw(st.sampled_from([" ", "  ", "\u3000"])).join(
        data.draw(st.permutations(chosen))
    )
    assume(query_name_terms(query))
    assert query_name_terms(query) <= name_terms(name)
    assert name_matches(name, query)
    assert _finds(search_query(query), product_terms(name, [], []), name, query)
