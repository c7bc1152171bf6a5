"""Problem and UI messages in zh-CN, zh-TW and en (PLT-7), shared by the API, the CLI and
the console: gettext catalogs, one domain per module, read once at start-up.

The message id is the stable code the API answers with (``not_found``, ``role_in_use``);
the text comes from ``locale/<language>/LC_MESSAGES/<domain>.po`` (English included: the
codes are not English sentences). Placeholders are ``{name}`` (``python-brace-format``),
filled from the error's parameters; a list parameter (a split's order numbers) is said as
the language says a list (Babel's CLDR list patterns: ``A、B和C`` / ``A, B, and C``). A
plural message is chosen by the parameter ``count`` with the language's ``Plural-Forms``
rule ("1 error" / "2 errors"). Names of entities (``{entity}`` in ``not_found``) are
messages with the context ``entity``.

``make messages`` refreshes the catalogs from the source (``entrypoints.messages.update``);
docs/decisions.md says how a translator adds a language.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.lists import format_list
from babel.messages.catalog import Message
from babel.messages.pofile import read_po

LANGUAGES = ("zh-CN", "zh-TW", "en")
DEFAULT_LANGUAGE = "zh-CN"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ENTITY = "entity"  # the message context of entity names


def locale_of(language: str) -> str:
    """``zh-CN`` (a language tag, as on the wire) -> ``zh_CN`` (a gettext locale folder)."""
    return language.replace("-", "_")


@dataclass(frozen=True)
class Translations:
    """One language's catalogs merged: code -> text, or the plural forms of a text."""

    texts: dict[str, str | tuple[str, ...]]
    entities: dict[str, str]
    plural: Callable[[int], int]


def load(language: str, locale_dir: Path = LOCALE_DIR) -> Translations:
    """Read every domain's ``.po`` of ``language`` (fuzzy and empty entries are skipped,
    as gettext does; the completeness test allows none)."""
    texts: dict[str, str | tuple[str, ...]] = {}
    entities: dict[str, str] = {}
    plural_forms = ""
    for path in sorted((locale_dir / locale_of(language) / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as file:
            catalog = read_po(file, domain=path.stem)  # plural rule: the file's header
        plural_forms = catalog.plural_expr
        for entry in catalog:
            text = text_of(entry)
            if not entry.id or entry.fuzzy or text is None:
                continue
            if entry.context == ENTITY and isinstance(text, str):
                entities[code_of(entry)] = text
            else:
                texts[code_of(entry)] = text
    return Translations(texts, entities, gettext.c2py(plural_forms or "0"))


def code_of(entry: Message) -> str:
    """The code of a catalog entry (a plural entry's id is a pair)."""
    return entry.id if isinstance(entry.id, str) else entry.id[0]


def text_of(entry: Message) -> str | tuple[str, ...] | None:
    """The text of an entry, or its plural forms; None while (partly) untranslated."""
    string = entry.string
    if isinstance(string, str):
        return string or None
    forms = tuple(string or ())
    return forms if forms and all(forms) else None


_TRANSLATIONS = {language: load(language) for language in LANGUAGES}


def negotiate(accept_language: str | None) -> str:
    """Pick zh-CN, zh-TW or en from an Accept-Language header (q-values honoured)."""
    return asked_for(accept_language) or DEFAULT_LANGUAGE


def asked_for(accept_language: str | None) -> str | None:
    """The language an Accept-Language header picks among ours; None when the header is
    absent or names none of them (then the company's default language applies)."""
    if not accept_language:
        return None
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = _match(tag.strip())
        if language and quality > 0:
            choices.append((-quality, position, language))
    return min(choices)[2] if choices else None


def _match(tag: str) -> str | None:
    """Chinese by script or region (Traditional: zh-TW, zh-HK, zh-MO, zh-Hant-*); any other
    language by its primary subtag (en-GB -> en)."""
    lowered = tag.lower()
    if lowered in ("zh-tw", "zh-hk", "zh-mo", "zh-hant") or lowered.startswith("zh-hant"):
        return "zh-TW"
    if lowered.startswith("zh"):
        return "zh-CN"
    primary = lowered.replace("_", "-").split("-")[0]
    return next((lang for lang in LANGUAGES if lang.lower().split("-")[0] == primary), None)


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def message(code: str, language: str, **params: Any) -> str:
    """The text of ``code`` in ``language`` with its parameters filled in; an unknown code
    reads as ``domain_error``. A plural text picks its form by ``count``."""
    translations = _TRANSLATIONS[language]
    text = translations.texts.get(code) or translations.texts["domain_error"]
    if isinstance(text, tuple):
        count = params.get("count")
        text = text[translations.plural(count)] if isinstance(count, int) else text[-1]
    if "entity" in params or "{entity}" in text:
        entity = str(params.get("entity", "resource"))
        name = translations.entities.get(entity) or translations.entities["resource"]
        params = {**params, "entity": name}
    shown = {
        k: list_of(v, language) if isinstance(v, list | tuple) else v for k, v in params.items()
    }
    return text.format_map(_Lenient(shown))


def list_of(items: list[Any] | tuple[Any, ...], language: str) -> str:
    """``items`` as ``language`` says a list (CLDR's pattern: SO-1、SO-2和SO-3 in Chinese,
    SO-1, SO-2, and SO-3 in English)."""
    return format_list([str(item) for item in items], locale=locale_of(language))
