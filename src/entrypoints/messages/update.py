"""``make messages``: extract the codes from the source into the templates
(``locale/<domain>.pot``), then bring every language's catalogs (``.po``) in line with them.

Extraction keeps what a developer wrote in a template by hand (the ``#.`` notes saying what
the placeholders mean, a ``msgid_plural``) and refreshes the rest: each code raised in the
source lands in the domain of the module raising it (``platform`` when several do). A code
the scan cannot see (one chosen at run time, an entity name, a CLI text) stays in its
template until someone deletes it there. No source references are written (``#:``): they
would change with every edit of a raising file, and a code needs none to be found.

The update works like ``pybabel update --no-fuzzy-matching`` over all domains at once, so a
code that moves between domains keeps its translations; a new code arrives untranslated in
every language (and the completeness test fails until someone writes its texts). Entries
whose text has a placeholder are flagged ``python-brace-format`` (Babel reads the flag from
the id, and a code has no braces, so it is set here from the texts).

``--check`` changes nothing and exits 1 when a file would change (the test suite runs it).
"""

from __future__ import annotations

import io
import string
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from entrypoints.messages import LOCALE_DIR, code_of, text_of
from entrypoints.messages.extract import DOMAINS, SRC, CodeUse, code_uses, domain_of_codes

PROJECT = "Shopkeeper"
VERSION = "1"
BRACE_FORMAT = "python-brace-format"
HEADER = (
    "# {what} of Shopkeeper's {domain} messages: each id is an error or message code.\n"
    "# Refreshed by `make messages`. Adding a language: docs/decisions.md,\n"
    '# "Messages are gettext catalogs".'
)
Key = tuple[str | None, str]  # (context, code)
Text = str | tuple[str, ...]


def key_of(entry: Message) -> Key:
    return entry.context, code_of(entry)


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale, domain=path.stem, abort_invalid=True)


def placeholders(text: Text | None) -> set[str]:
    texts = [text] if isinstance(text, str) else list(text or ())
    return {f for t in texts for _, f, _, _ in string.Formatter().parse(t) if f}


def _new_catalog(
    domain: str, locale: str | None, previous: Catalog | None, created: datetime | None
) -> Catalog:
    return Catalog(
        locale=locale,
        domain=domain,
        header_comment=HEADER.format(
            what=f"{locale} texts" if locale else "Template", domain=domain
        ),
        project=PROJECT,
        version=VERSION,
        creation_date=previous.creation_date if previous else created,
        revision_date=previous.revision_date if previous and locale else None,
        last_translator=previous.last_translator if previous else None,
        language_team=previous.language_team if previous else None,
        fuzzy=False,
    )


def templates(locale_dir: Path, uses: Iterable[CodeUse]) -> dict[str, Catalog]:
    """The templates extracted from the source, keeping the hand-written parts of the old."""
    uses = list(uses)
    old: dict[Key, Message] = {}
    where: dict[Key, str] = {}
    previous: dict[str, Catalog] = {}
    for domain in DOMAINS:
        path = locale_dir / f"{domain}.pot"
        if path.exists():
            previous[domain] = read(path)
            for entry in previous[domain]:
                if entry.id:
                    old[key_of(entry)] = entry
                    where[key_of(entry)] = domain
    where.update({(None, code): domain for code, domain in domain_of_codes(uses).items()})
    params: dict[str, set[str]] = {}
    for use in uses:
        params.setdefault(use.code, set()).update(use.params)
    result: dict[str, Catalog] = {}
    for domain in DOMAINS:
        catalog = _new_catalog(domain, None, previous.get(domain), None)
        for key in sorted((k for k, d in where.items() if d == domain), key=_order):
            context, code = key
            kept = old.get(key)
            notes = list(kept.auto_comments) if kept else []
            found = sorted(params.get(code, ()))
            if not notes and found:
                notes = ["Placeholders: " + ", ".join("{" + p + "}" for p in found)]
            catalog.add(kept.id if kept else code, context=context, auto_comments=notes)
        if len(catalog) or domain in previous:
            result[domain] = catalog
    return result


def _order(key: Key) -> tuple[str, str]:
    return key[0] or "", key[1]


def update(locale_dir: Path, template: dict[str, Catalog], locale: str) -> dict[str, Catalog]:
    """One language's catalogs made to match the templates, translations carried over by
    code across domains; an entry whose plural shape changed comes back fuzzy."""
    previous = {
        path.stem: read(path, locale)
        for path in sorted((locale_dir / locale / "LC_MESSAGES").glob("*.po"))
    }
    pool = {key_of(e): e for catalog in previous.values() for e in catalog if e.id}
    result: dict[str, Catalog] = {}
    for domain, source in template.items():
        created = source.creation_date
        catalog = _new_catalog(
            domain, locale, previous.get(domain), created if isinstance(created, datetime) else None
        )
        for entry in source:
            if not entry.id:
                continue
            old = pool.get(key_of(entry))
            text: Text = ("",) * catalog.num_plurals if entry.pluralizable else ""
            flags = set()
            if old is not None and old.string:
                if old.pluralizable == entry.pluralizable:
                    text = old.string if isinstance(old.string, str) else tuple(old.string)
                flags = {"fuzzy"} if old.fuzzy or old.pluralizable != entry.pluralizable else set()
            catalog.add(
                entry.id,
                text,
                context=entry.context,
                auto_comments=entry.auto_comments,
                user_comments=old.user_comments if old is not None else (),
                flags=flags,
            )
        result[domain] = catalog
    return result


def _render(catalog: Catalog, braced: set[Key]) -> bytes:
    for entry in catalog:
        if entry.id and key_of(entry) in braced:
            entry.flags.add(BRACE_FORMAT)
    out = io.BytesIO()
    write_po(out, catalog, width=100, no_location=True, ignore_obsolete=True)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (sys.argv[1:] if argv is None else argv)
    template = templates(LOCALE_DIR, code_uses(SRC))
    languages = sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES").is_dir())
    catalogs = {
        (lang, d): c for lang in languages for d, c in update(LOCALE_DIR, template, lang).items()
    }
    braced = {key_of(e) for c in catalogs.values() for e in c if e.id and placeholders(text_of(e))}
    files = {LOCALE_DIR / f"{d}.pot": _render(c, braced) for d, c in template.items()}
    for (lang, domain), catalog in catalogs.items():
        files[LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"] = _render(catalog, braced)
    changed = [p for p, data in files.items() if not p.exists() or p.read_bytes() != data]
    for path in changed:
        print(f"{'out of date' if check else 'updated'}: {path.relative_to(SRC.parent)}")
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[path])
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
