"""The languages notifications are written in, and which one a user reads."""

from __future__ import annotations

LANGUAGES = ("zh-CN", "zh-TW", "en")
DEFAULT_LANGUAGE = "zh-CN"


def message_language(locale: str | None) -> str:
    """Map a user's locale ("zh-TW", "zh-Hant-HK", "en-GB", ...) to a template language."""
    tag = (locale or "").strip().replace("_", "-").lower()
    if tag.startswith(("zh-tw", "zh-hk", "zh-mo", "zh-hant")):
        return "zh-TW"
    if tag.startswith("zh"):
        return "zh-CN"
    if tag == "en" or tag.startswith("en-"):
        return "en"
    return DEFAULT_LANGUAGE
