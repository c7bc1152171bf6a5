"""Every code the rule reader reports has a message in zh-CN, zh-TW and en. The source scan
of the i18n test cannot see them (the reader's codes are passed through ``fail``), so they
are written into locale/orders.pot by hand; this keeps them there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from entrypoints.messages import LANGUAGES, message

RULES = Path(__file__).resolve().parents[3] / "src" / "domain" / "orders" / "rules"
CODES = sorted(
    {
        code
        for path in RULES.glob("*.py")
        for code in re.findall(r'\bfail\(\s*[^,]+,\s*"([a-z_]+)"', path.read_text("utf-8"))
    }
)


def test_the_scan_finds_the_reader_codes() -> None:
    assert {"unknown_field", "unknown_condition", "needs_a_bound", "invalid_rule_code"} <= set(
        CODES
    )


@pytest.mark.parametrize("code", CODES)
def test_every_reader_code_has_a_message_in_every_language(code: str) -> None:
    for language in LANGUAGES:
        assert message(code, language) != message("domain_error", language), (code, language)
