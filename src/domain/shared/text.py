"""Text segmentation shared by the equality-based searches (customers' names, products).

Text is NFKC-normalised (full-width ＡＢＣ１２ → abc12) and case-folded, then cut into
maximal runs of CJK characters and runs of other letters and digits.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

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


def runs(text: str) -> Iterator[tuple[bool, str]]:
    """Maximal runs of CJK characters (True) and of other letters and digits (False)."""
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


def cjk_grams(run: str) -> set[str]:
    """Every character and every pair of adjacent characters of a CJK run."""
    return set(run) | {run[i : i + 2] for i in range(len(run) - 1)}


def cjk_pairs(run: str) -> set[str]:
    """What a CJK query run must match: its pairs (a single character stands for itself)."""
    if len(run) == 1:
        return {run}
    return {run[i : i + 2] for i in range(len(run) - 1)}


def character_class(codes: list[int]) -> str:
    """``[1, 2, 3, 7]`` as a regular expression's character class body:
    ``\\u0001-\\u0003\\u0007`` (runs written as ranges)."""
    spans: list[list[int]] = []
    for code in codes:
        if spans and code == spans[-1][1] + 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in spans)


def is_control(char: str) -> bool:
    """A control or format character (Unicode categories Cc and Cf)."""
    return unicodedata.category(char) in ("Cc", "Cf")


def has_control_characters(value: str, allowed: str = "") -> bool:
    """Whether ``value`` holds a control or format character other than those ``allowed``.
    Printable text (``str.isprintable``: no Cc or Cf, nor separators but the space) is
    answered at once, without a category looked up for each character — what nearly every
    name, address and memo a request sends is."""
    if value.isprintable():
        return False
    return any(is_control(ch) and ch not in allowed for ch in value)
