"""The one label catalogue: every choice and every word, in Chinese and English.

The pages (api/i18n.py), the terminal (inventory/cli) and the sheets
(inventory/interchange/columns.py) all take their words from here: choices
by enum member (``label``, names in ``labels/choices.py``), everything else
by key (``term``, words in ``labels/words.py``).
"""

from __future__ import annotations

from enum import StrEnum

from inventory.domain.labels.choices import _LABELS
from inventory.domain.labels.words import TERMS

__all__ = [
    "FALSE_WORDS",
    "LANGUAGES",
    "TERMS",
    "TRUE_WORDS",
    "bool_label",
    "both",
    "label",
    "parse_bool",
    "parse_choice",
    "term",
]

LANGUAGES = ("zh", "en")

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是", "有", "对", "√", "t"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否", "无", "", "×", "f"})


def label(value: StrEnum, lang: str = "zh") -> str:
    """The display name of a choice; a choice with no label shows its value."""
    zh, en = _LABELS.get((type(value), value.value), (value.value, value.value.replace("_", " ")))
    return zh if lang == "zh" else en


def term(key: str, lang: str = "zh", **values: object) -> str:
    """A word of the catalogue in `lang` (zh or en), placeholders filled from `values`.

    An unknown key raises KeyError: a missing word is a bug, never shown as its key.
    """
    zh, en = TERMS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def both(key: str, **values: object) -> str:
    """The terminal's bilingual form: Chinese, then English ("资产总数 Assets in all")."""
    return f"{term(key, 'zh', **values)} {term(key, 'en', **values)}"


def bool_label(value: bool, lang: str = "zh") -> str:
    if lang == "zh":
        return "是" if value else "否"
    return "yes" if value else "no"


def parse_choice(enum_cls: type[StrEnum], text: str) -> StrEnum:
    """A choice from its value or either label; ValueError lists what is accepted."""
    cleaned = text.strip()
    for member in enum_cls:
        if cleaned.casefold() in (member.value, label(member, "en").casefold()) or cleaned == label(
            member, "zh"
        ):
            return member
    accepted = ", ".join(f"{m.value} ({label(m, 'zh')})" for m in enum_cls)
    raise ValueError(f"{cleaned!r} is not one of: {accepted}")


def parse_bool(text: str) -> bool:
    cleaned = text.strip().casefold()
    if cleaned in TRUE_WORDS:
        return True
    if cleaned in FALSE_WORDS:
        return False
    raise ValueError(f"{text!r} is not yes/no (是/否)")
