"""One label catalogue for the pages, the terminal and the sheets, in Chinese and English.

A Chinese page, report or sheet shows no English word where a Chinese one
belongs: every choice and every word has both, and every word a template asks
for is in the catalogue.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest

from inventory.domain import choices, lifecycles
from inventory.domain.labels import TERMS, both, label, parse_choice, term
from inventory.interchange.columns import COLUMNS

TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "templates"
HAN = re.compile(r"[\u4e00-\u9fff]")
# Names that stay as they are in Chinese text too (the bureaus write them so).
AS_WRITTEN = frozenset({"UPS", "CPU", "English"})


def _choice_sets() -> list[type[StrEnum]]:
    found = []
    for module in (choices, lifecycles):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum:
                found.append(value)
    return found


@pytest.mark.parametrize("choice_set", _choice_sets(), ids=lambda c: c.__name__)
def test_every_choice_has_a_chinese_and_an_english_label(choice_set: type[StrEnum]) -> None:
    for member in choice_set:
        zh, en = label(member, "zh"), label(member, "en")
        assert HAN.search(zh) or zh in AS_WRITTEN, f"{choice_set.__name__}.{member.name}: {zh!r}"
        assert en, f"{choice_set.__name__}.{member.name}"
        assert not HAN.search(en), f"{choice_set.__name__}.{member.name}: {en!r}"


@pytest.mark.parametrize("choice_set", _choice_sets(), ids=lambda c: c.__name__)
def test_a_choice_reads_back_from_its_value_and_either_label(choice_set: type[StrEnum]) -> None:
    for member in choice_set:
        assert parse_choice(choice_set, member.value) is member
        assert parse_choice(choice_set, label(member, "zh")) is member
        assert parse_choice(choice_set, label(member, "en").upper()) is member


def test_every_word_has_chinese_and_english() -> None:
    for key, (zh, en) in TERMS.items():
        assert HAN.search(zh) or zh in AS_WRITTEN, f"{key}: {zh!r}"
        assert en, key
        assert not HAN.search(en) or key == "language", f"{key}: {en!r}"  # the switch to 中文


def _template_words() -> set[str]:
    """Every key a template passes to t(): literal ones and loops over literal tuples."""
    words: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        words |= set(re.findall(r"\bt\('([a-z_]+)'", text))
        for variable, items in re.findall(r"for (\w+) in \(([^)]*)\)", text):
            if re.search(rf"\bt\({variable}\)", text):
                words |= set(re.findall(r"'([a-z_]+)'", items))
    return words


def test_every_word_a_page_asks_for_is_in_the_catalogue() -> None:
    words = _template_words()
    assert {"status", "unchanged", "conflicts", "merge"} <= words  # the scan reaches them
    assert sorted(words - TERMS.keys()) == []


def test_an_unknown_word_is_an_error_not_its_key() -> None:
    with pytest.raises(KeyError):
        term("no_such_word")


def test_words_fill_their_placeholders_in_both_languages() -> None:
    assert term("stale_days", "zh", days=30) == "超过30天未发现"
    assert term("stale_days", "en", days=30) == "Not seen for 30 days"
    assert both("rows_rejected", count=2) == "2 行有误 2 rows rejected"


@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_sheet_headers_are_the_field_in_english_and_the_catalogue_word_in_chinese(
    kind: str,
) -> None:
    for column in COLUMNS[kind]:
        assert column.header("en") == column.field
        assert column.header("zh") == term(column.words or column.field, "zh")
        assert HAN.search(column.header("zh")), column.field


def test_the_pages_and_the_sheets_use_the_same_word_for_a_field() -> None:
    asset_columns = {column.field: column for column in COLUMNS["assets"]}
    for field in ("serial_number", "system_uuid", "machine_id", "macs", "addresses", "location"):
        assert asset_columns[field].header("zh") == term(field, "zh")
