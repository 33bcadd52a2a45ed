"""The pages' language; their words come from the one catalogue (inventory.domain.labels)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from inventory.domain.labels import term

LANG_COOKIE = "lang"


def choose_language(request: Request) -> str:
    """?lang= wins, then the cookie, then the browser's preference; Chinese by default."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if asked in ("zh", "en"):
        return asked
    accept = request.headers.get("Accept-Language", "").lower()
    return "en" if accept.startswith("en") else "zh"


def translator(lang: str) -> Callable[..., str]:
    """The templates' t("key"): a word of the catalogue in the page's language."""

    def t(key: str, **values: object) -> str:
        return term(key, lang, **values)

    return t
