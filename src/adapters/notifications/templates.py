"""Notification texts as Jinja templates, one file per template and language.

``templates/<template>.<language>.txt`` renders, like a commit message, to the subject (the
first line; also the inbox title), a blank line, and the plain-text body::

    {% set names = {"shipped": "已发货"} %}
    订单 {{ orderNumber }} {{ names.get(status, status) }}

    订单 {{ orderNumber }} 的状态已变为「{{ names.get(status, status) }}」。

Parameters are the
notification's ids, codes and numbers, plus ``link``. A missing parameter is an error, not
an empty string (StrictUndefined). Plain-text files are not escaped; any ``.html`` template
added later is, by Jinja's autoescape.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    UndefinedError,
    select_autoescape,
)

from application.notifications.ports import RenderedMessage, UnknownTemplate
from domain.notifications.language import LANGUAGES
from domain.notifications.notification import ParamValue

TEMPLATE_DIR = Path(__file__).parent / "templates"
_SUFFIX = ".txt"
_WHITESPACE = re.compile(r"\s+")


class JinjaMessageTemplates:
    def __init__(self, directory: Path = TEMPLATE_DIR) -> None:
        self._directory = directory
        self._env = Environment(
            loader=FileSystemLoader(directory),
            autoescape=select_autoescape(enabled_extensions=("html", "htm")),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )

    def keys(self) -> dict[str, set[str]]:
        """Every template key with the languages it has a file for."""
        found: dict[str, set[str]] = {}
        for path in self._directory.glob(f"*{_SUFFIX}"):
            stem = path.name[: -len(_SUFFIX)]
            key, _, language = stem.rpartition(".")
            found.setdefault(key, set()).add(language)
        return found

    def render(
        self,
        template: str,
        language: str,
        params: Mapping[str, ParamValue],
        link: str | None = None,
    ) -> RenderedMessage:
        if language not in LANGUAGES:
            raise UnknownTemplate(f"{template}: no language {language!r}")
        try:
            compiled = self._env.get_template(f"{template}.{language}{_SUFFIX}")
        except TemplateNotFound:
            raise UnknownTemplate(f"{template} in {language}") from None
        try:
            rendered = compiled.render({**params, "link": link})
        except UndefinedError as error:
            raise ValueError(f"{template} in {language}: {error.message}") from None
        subject, _, body = rendered.strip().partition("\n")
        subject, body = _WHITESPACE.sub(" ", subject).strip(), body.strip()
        if not subject or not body:
            raise UnknownTemplate(f"{template} in {language}: needs a subject line and a body")
        body += "\n"
        return RenderedMessage(subject, body)
