"""Validation of ledger sheets: identifiers compared as identity compares them, dates as days.

Field cases 10 and 15 of tests/data/discovery: sheets as departments send them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from inventory.interchange.importer import import_file
from inventory.models import Asset, AssetMac
from inventory.services.context import Actor

CASES = Path(__file__).parent.parent / "data" / "discovery"


def write_csv(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_placeholder_serials_never_count_as_repeats(session: Session, actor: Actor) -> None:
    """Case 10: 'Default string' and 'To be filled by O.E.M.' twice each: all 4 rows import."""
    report = import_file(
        session, actor, CASES / "10-import-placeholder-serial-repeats" / "ledger.csv", "assets"
    )
    assert report.errors == []
    assert report.counts["created"] == 4
    assert all(a.serial_number is None for a in session.exec(select(Asset)))


@pytest.mark.parametrize(
    ("first", "second", "column"),
    [
        ("2102311TQN10K6000123", " 2102311tqn10k6000123 ", "序列号"),
        (
            "4C4C4544-0042-3510-8052-B4C04F4B4E32",
            "{4c4c4544-0042-3510-8052-b4c04f4b4e32}",
            "系统UUID",
        ),
        # The same UUID in the byte order of a pre-2.6 SMBIOS reader.
        (
            "4C4C4544-0042-3510-8052-B4C04F4B4E32",
            "44454C4C-4200-1035-8052-B4C04F4B4E32",
            "系统UUID",
        ),
    ],
)
def test_a_repeat_is_found_whatever_its_spelling(
    session: Session, actor: Actor, tmp_path: Path, first: str, second: str, column: str
) -> None:
    path = write_csv(tmp_path, f"资产编号,{column}", f"ZC1,{first}", f"ZC2,{second}")
    report = import_file(session, actor, path, "assets")
    (error,) = report.errors
    assert (error.line, error.column) == (3, column)
    assert "repeats line 2" in error.reason
    assert not report.written


def test_a_row_identified_only_by_a_placeholder_identifies_nothing(
    session: Session, actor: Actor, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, "名称,序列号", "pc-01,SystemSerialNumber")
    (error,) = import_file(session, actor, path, "assets").errors
    assert "nothing identifies this row" in error.reason


@pytest.mark.parametrize("sheet", ["ledger.csv", "ledger-gbk.csv"])
def test_dates_with_a_midnight_time_part_are_dates(
    session: Session, actor: Actor, sheet: str
) -> None:
    """Case 15: Excel's '2023/5/1 0:00' and '2023-05-01 00:00:00' are 2023-05-01 (UTF-8 and GBK)."""
    report = import_file(session, actor, CASES / "15-import-date-with-time" / sheet, "assets")
    assert report.errors == []
    found = session.exec(select(Asset).order_by(col(Asset.asset_tag))).all()
    assert [a.purchase_date for a in found] == [date(2023, 5, 1)] * 3
    assert [a.warranty_until for a in found] == [date(2026, 4, 30)] * 3


@pytest.mark.parametrize(
    "cell", ["2023/5/1 8:30", "2023-05-01 00:00:01", "2023-05-01 23:59:59", "2023-05-01 12:00"]
)
def test_a_time_of_day_in_a_date_column_is_an_error_with_line_and_column(
    session: Session, actor: Actor, tmp_path: Path, cell: str
) -> None:
    path = write_csv(tmp_path, "资产编号,购置日期", "ZC1,2023-05-01", f"ZC2,{cell}")
    report = import_file(session, actor, path, "assets")
    (error,) = report.errors
    assert (error.line, error.column) == (3, "购置日期")
    assert "time of day" in error.reason
    assert not report.written


@pytest.mark.parametrize(
    "cell", ["0:c:29:71:86:17", "000C.2971.8617", "00-0C-29-71-86-17", "000c29718617"]
)
def test_macs_in_any_notation_import_as_one_value(
    session: Session, actor: Actor, tmp_path: Path, cell: str
) -> None:
    path = write_csv(tmp_path, "资产编号,MAC地址", f"ZC1,{cell}")
    assert import_file(session, actor, path, "assets").written
    assert session.exec(select(AssetMac.mac)).all() == ["00:0c:29:71:86:17"]


def test_a_cell_that_is_no_mac_is_an_error_not_a_silent_drop(
    session: Session, actor: Actor, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, "资产编号,MAC地址", "ZC1,00:0c:29:71:86:17;00:0c:29:71:86")
    (error,) = import_file(session, actor, path, "assets").errors
    assert (error.line, error.column) == (2, "MAC地址")
    assert "'00:0c:29:71:86' is not a MAC address" in error.reason
