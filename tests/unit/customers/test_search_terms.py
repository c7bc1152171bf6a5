"""Name search terms (CRM-1): equality-searchable grams of a name."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from domain.customers.search_terms import MAX_PREFIX, name_matches, name_terms, query_terms

cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
cjk_names = st.text(alphabet=cjk, min_size=1, max_size=12)
latin_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", min_size=1, max_size=30)


def test_terms_of_a_chinese_name() -> None:
    assert name_terms("张三丰") == {"张", "三", "丰", "张三", "三丰"}
    assert query_terms("张三") == {"张三"}
    assert query_terms("张") == {"张"}
    assert query_terms("三丰") <= name_terms("张三丰")
    assert not query_terms("三丰") <= name_terms("张三")


def test_latin_words_are_found_by_their_beginnings() -> None:
    terms = name_terms("Zhang Wei")
    assert query_terms("zha") <= terms and query_terms("WEI") <= terms
    assert not query_terms("ang") <= terms


def test_empty_query_has_no_terms() -> None:
    assert query_terms("  -- !! ") == frozenset()


@given(cjk_names, st.data())
def test_gram_extraction_every_cjk_substring_query_is_covered(
    name: str, data: st.DataObject
) -> None:
    """Gram extraction: every 1–2 character substring of a CJK name — and, through its
    pairs, every longer one — yields query terms the name's terms all cover, and the
    confirmation step accepts it."""
    start = data.draw(st.integers(0, len(name) - 1))
    end = data.draw(st.integers(start + 1, len(name)))
    query = name[start:end]
    assert query_terms(query)
    assert query_terms(query) <= name_terms(name)
    assert name_matches(name, query)
    for i in range(len(name)):
        for q in (name[i], name[i : i + 2]):
            assert q in name_terms(name)


@given(st.lists(latin_words, min_size=1, max_size=4), st.data())
def test_gram_extraction_every_word_prefix_query_is_covered(
    words: list[str], data: st.DataObject
) -> None:
    """Gram extraction: any beginning of any word of a Latin name, in any case, is found."""
    name = " ".join(words)
    word = data.draw(st.sampled_from(words))
    prefix = word[: data.draw(st.integers(1, len(word)))]
    assert query_terms(prefix.upper()) <= name_terms(name)
    assert all(len(t) <= MAX_PREFIX for t in name_terms(name))


few_chars = st.text(alphabet="张三丰李四 Ab", max_size=8)


@given(few_chars, st.text(alphabet="张三丰李四 Ab", min_size=1, max_size=4), few_chars)
def test_terms_never_miss_a_real_match(before: str, query: str, after: str) -> None:
    """No false negatives: whenever a name contains the query (CJK anywhere, Latin from a
    word's beginning), the name holds all the query's terms and the confirmation agrees."""
    assume(query.strip() and query_terms(query))
    assume(not before or not query[0].isascii() or not before[-1].isalpha())
    name = before + query + after
    assert query_terms(query) <= name_terms(name)
    assert name_matches(name, query)


def test_confirmation_rejects_out_of_order_grams() -> None:
    assert query_terms("张三丰") <= name_terms("三丰张三")
    assert not name_matches("三丰张三", "张三丰")
    assert name_matches("Zhang SanFeng", "sanf")
