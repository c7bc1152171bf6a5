"""``has_control_characters``: printable text answered at once, anything else looked at
character by character — the same answer as the category test on every character."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.shared.text import has_control_characters, is_control


def test_printable_text_and_the_allowed_line_breaks_pass() -> None:
    assert not has_control_characters("王五 体育西路 88 号 Apt. 3")
    assert not has_control_characters("")
    assert not has_control_characters("第一行\n第二行\t", allowed="\n\t")
    assert not has_control_characters("不间断\u00a0空格")  # a separator, not a control


def test_control_and_format_characters_are_found() -> None:
    assert has_control_characters("a\x00b")
    assert has_control_characters("line\nbreak")  # not allowed unless said
    assert has_control_characters("zero\u200bwidth")  # Cf
    assert has_control_characters("bidi\u202eoverride", allowed="\n\t")


@given(st.text(), st.sampled_from(["", "\n\t"]))
def test_the_same_answer_as_each_character_looked_at(value: str, allowed: str) -> None:
    expected = any(is_control(ch) and ch not in allowed for ch in value)
    assert has_control_characters(value, allowed) == expected
