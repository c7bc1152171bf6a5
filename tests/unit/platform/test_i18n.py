"""Every error code has a message in zh-CN, zh-TW and en (PLT-7).

The codes are collected from the source itself (every DomainError subclass's code and every
literal code passed to an error), so a new code without translations fails here.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from entrypoints.i18n import LANGUAGES, MESSAGES, message, negotiate

SRC = Path(__file__).resolve().parents[3] / "src"
ERROR_CALLS = {
    "DomainError",
    "NotFound",
    "PermissionDenied",
    "Conflict",
    "StaleVersion",
    "AuthenticationFailed",
    "TenantSuspended",
    "VersionRequired",
}


def _codes_in_source() -> set[str]:
    codes: set[str] = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if (
                        isinstance(stmt, ast.Assign)
                        and any(isinstance(t, ast.Name) and t.id == "code" for t in stmt.targets)
                        and isinstance(stmt.value, ast.Constant)
                    ):
                        codes.add(stmt.value.value)
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            args = node.args
            if name in ERROR_CALLS and args and isinstance(args[0], ast.Constant):
                codes.add(args[0].value)
            if name == "single" and len(args) >= 2 and isinstance(args[1], ast.Constant):
                codes.add(args[1].value)
            if name == "FieldError" and len(args) >= 2 and isinstance(args[1], ast.Constant):
                codes.add(args[1].value)
            if name == "RowError" and len(args) >= 3 and isinstance(args[2], ast.Constant):
                codes.add(args[2].value)
    return {c for c in codes if isinstance(c, str)}


def test_source_scan_finds_codes() -> None:
    codes = _codes_in_source()
    assert {"not_found", "invalid_credentials", "password_too_short"} <= codes
    assert {"conflicts_with_row", "sku_belongs_to_other_product"} <= codes  # RowError


@pytest.mark.parametrize("code", sorted(_codes_in_source()))
def test_every_raised_code_has_all_three_languages(code: str) -> None:
    assert code in MESSAGES, f"error code {code!r} has no messages"


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_exists_in_every_language_with_the_same_placeholders(code: str) -> None:
    texts = MESSAGES[code]
    assert set(texts) == set(LANGUAGES)
    fields = {
        lang: {f for _, f, _, _ in string.Formatter().parse(text) if f}
        for lang, text in texts.items()
    }
    assert fields["zh-CN"] == fields["zh-TW"] == fields["en"], fields
    assert all(t.strip() for t in texts.values())


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "zh-CN"),
        ("", "zh-CN"),
        ("en-US,en;q=0.9", "en"),
        ("zh-TW", "zh-TW"),
        ("zh-HK,zh;q=0.8", "zh-TW"),
        ("zh-Hant-TW", "zh-TW"),
        ("zh-Hans-CN", "zh-CN"),
        ("fr-FR, en;q=0.5", "en"),
        ("fr-FR", "zh-CN"),
        ("en;q=0.2, zh-TW;q=0.8", "zh-TW"),
        ("en;q=garbage", "zh-CN"),
    ],
)
def test_accept_language_negotiation(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def test_message_fills_parameters_and_names_entities() -> None:
    assert message("not_found", "en", entity="role") == "The requested role does not exist."
    assert "角色" in message("not_found", "zh-CN", entity="role")
    assert "5" in message("rate_limited", "zh-TW", retry_after=5)
    assert message("permission_denied", "en").startswith("You do not have")
