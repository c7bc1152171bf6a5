"""Every error code has a message in zh-CN, zh-TW and en (PLT-7), read from the gettext
catalogs (``src/entrypoints/messages/locale``).

The codes are collected from the source itself (every DomainError subclass's code and every
literal code passed to an error), so a new code without translations fails here. The
catalogs must parse, hold no fuzzy or empty entry, carry each language's plural rule, and
match what ``make messages`` would write from the source.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from entrypoints.messages import (
    DEFAULT_LANGUAGE,
    ENTITY,
    LANGUAGES,
    LOCALE_DIR,
    code_of,
    locale_of,
    message,
    negotiate,
)
from entrypoints.messages.extract import DOMAINS, code_uses
from entrypoints.messages.update import main as update_catalogs
from entrypoints.messages.update import placeholders

Text = str | tuple[str, ...]


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale, domain=path.stem, abort_invalid=True)


PO_FILES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
CATALOGS = {path: _read(path) for path in PO_FILES}  # the plural rule read from the file


def _texts(language: str) -> dict[tuple[str | None, str], Text]:
    """(context, code) -> text (or plural forms), from every domain of ``language``."""
    texts: dict[tuple[str | None, str], Text] = {}
    for path, catalog in CATALOGS.items():
        if path.parts[-3] != locale_of(language):
            continue
        for entry in catalog:
            if entry.id:
                string = entry.string
                texts[entry.context, code_of(entry)] = (
                    string if isinstance(string, str) else tuple(string or ())
                )
    return texts


TEXTS = {language: _texts(language) for language in LANGUAGES}
ALL_KEYS = sorted(set().union(*TEXTS.values()), key=lambda k: (k[0] or "", k[1]))
SOURCE_CODES = {use.code for use in code_uses()}


def test_source_scan_finds_codes() -> None:
    assert {"not_found", "invalid_credentials", "password_too_short"} <= SOURCE_CODES
    assert {"conflicts_with_row", "sku_belongs_to_other_product"} <= SOURCE_CODES  # RowError


@pytest.mark.parametrize("code", sorted(SOURCE_CODES))
def test_every_raised_code_has_all_three_languages(code: str) -> None:
    for language in LANGUAGES:
        assert (None, code) in TEXTS[language], f"error code {code!r} has no {language} message"


@pytest.mark.parametrize("key", ALL_KEYS, ids=lambda k: f"{k[0]}:{k[1]}" if k[0] else k[1])
def test_every_message_exists_in_every_language_with_the_same_placeholders(
    key: tuple[str | None, str],
) -> None:
    texts = {language: TEXTS[language].get(key) for language in LANGUAGES}
    assert all(text is not None for text in texts.values()), texts
    fields = {language: placeholders(text) for language, text in texts.items() if text is not None}
    assert fields["zh-CN"] == fields["zh-TW"] == fields["en"], fields
    for text in texts.values():
        assert text is not None
        assert all(t.strip() for t in ([text] if isinstance(text, str) else text)), texts


def test_there_are_catalogs_for_every_language_and_a_template_per_domain() -> None:
    templates = {path.stem for path in LOCALE_DIR.glob("*.pot")}
    assert templates <= set(DOMAINS) and {"platform", "identity", "catalog"} <= templates
    for language in LANGUAGES:
        folder = LOCALE_DIR / locale_of(language) / "LC_MESSAGES"
        assert {path.stem for path in folder.glob("*.po")} == templates


@pytest.mark.parametrize("path", PO_FILES, ids=lambda p: "/".join(p.parts[-3::2]))
def test_every_catalog_parses_and_has_no_fuzzy_or_empty_entry(path: Path) -> None:
    catalog = CATALOGS[path]
    assert not catalog.fuzzy
    entries = [entry for entry in catalog if entry.id]
    assert entries
    for entry in entries:
        assert not entry.fuzzy, f"{path.name}: {entry.id!r} is fuzzy"
        forms = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        assert forms and all(forms), f"{path.name}: {entry.id!r} is empty"
        assert not catalog.obsolete


@pytest.mark.parametrize("path", PO_FILES, ids=lambda p: "/".join(p.parts[-3::2]))
def test_every_catalog_has_its_languages_plural_forms(path: Path) -> None:
    locale = path.parts[-3]
    catalog = CATALOGS[path]
    expected = get_plural(locale)
    headers = dict(catalog.mime_headers)
    assert headers["Language"] == locale
    assert headers["Plural-Forms"] == expected.plural_forms
    assert catalog.plural_forms == expected.plural_forms
    assert catalog.num_plurals == expected.num_plurals
    assert catalog.num_plurals == {"zh_CN": 1, "zh_TW": 1, "en": 2}.get(
        locale, expected.num_plurals
    )
    for entry in catalog:
        if entry.id and entry.pluralizable:
            assert len(entry.string) == expected.num_plurals, entry.id


def test_plural_messages_are_plural_in_every_language() -> None:
    plural = {
        language: {key for key, text in TEXTS[language].items() if isinstance(text, tuple)}
        for language in LANGUAGES
    }
    assert plural["en"] == plural["zh-CN"] == plural["zh-TW"]
    assert (None, "import_has_errors") in plural["en"]


def test_no_code_is_in_two_domains() -> None:
    for language in LANGUAGES:
        seen: dict[tuple[str | None, str], str] = {}
        for path, catalog in CATALOGS.items():
            if path.parts[-3] == locale_of(language):
                for entry in catalog:
                    if entry.id:
                        key = (
                            entry.context,
                            entry.id if isinstance(entry.id, str) else entry.id[0],
                        )
                        assert key not in seen, f"{key} in {seen.get(key)} and {path.stem}"
                        seen[key] = path.stem


def test_catalogs_are_what_make_messages_writes(capsys: pytest.CaptureFixture[str]) -> None:
    assert update_catalogs(["--check"]) == 0, "run `make messages`:\n" + capsys.readouterr().out


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        (
            "en",
            "The file has 1 error; fix it or import the valid products only.",
            "The file has 2 errors; fix them or import the valid products only.",
        ),
        (
            "zh-CN",
            "文件有 1 处错误；请修正，或仅导入有效的商品。",
            "文件有 2 处错误；请修正，或仅导入有效的商品。",
        ),
        (
            "zh-TW",
            "檔案有 1 處錯誤；請修正，或僅匯入有效的商品。",
            "檔案有 2 處錯誤；請修正，或僅匯入有效的商品。",
        ),
    ],
)
def test_a_count_chooses_the_plural_form(language: str, one: str, two: str) -> None:
    assert message("import_has_errors", language, count=1) == one
    assert message("import_has_errors", language, count=2) == two


def test_the_cli_import_summary_is_plural() -> None:
    assert message("import_errors_summary", "en", count=1, report="a") == "1 error; report: a"
    assert message("import_errors_summary", "en", count=2, report="a") == "2 errors; report: a"
    assert message("import_errors_summary", "zh-CN", count=1, report="a") == "1 处错误；报告：a"
    assert message("import_errors_summary", "zh-TW", count=3, report="a") == "3 處錯誤；報告：a"


def test_entity_names_are_messages_with_the_entity_context() -> None:
    for language in LANGUAGES:
        assert (ENTITY, "resource") in TEXTS[language] and (ENTITY, "role") in TEXTS[language]


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
        ("en_GB", "en"),
        ("*", "zh-CN"),
    ],
)
def test_accept_language_negotiation(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected
    assert DEFAULT_LANGUAGE == "zh-CN"


def test_message_fills_parameters_and_names_entities() -> None:
    assert message("not_found", "en", entity="role") == "The requested role does not exist."
    assert "角色" in message("not_found", "zh-CN", entity="role")
    assert "5" in message("rate_limited", "zh-TW", retry_after=5)
    assert message("permission_denied", "en").startswith("You do not have")
    assert message("no_such_code", "en") == "The request cannot be carried out."


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("zh-CN", "订单已拆分为 SO-1-1、SO-1-2和SO-1-3。"),
        ("zh-TW", "訂單已拆分為 SO-1-1、SO-1-2和SO-1-3。"),
        ("en", "The order is split into SO-1-1, SO-1-2, and SO-1-3."),
    ],
)
def test_a_list_is_said_as_its_language_says_a_list(language: str, said: str) -> None:
    parts = ["SO-1-1", "SO-1-2", "SO-1-3"]
    assert message("orders.split_done", language, parts=parts) == said
    title = message("serials_not_on_transfer", language, skus=["A", "B"])
    assert ("A and B" if language == "en" else "A和B") in title
