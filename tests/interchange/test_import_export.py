"""Import validates every row first; bad rows are named; nothing is lost; export round-trips."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from inventory.interchange.exporter import export_file
from inventory.interchange.importer import import_file
from inventory.interchange.tables import FileFormatError
from inventory.models import Asset, AuditEvent, Department, Staff, StaffAssignment
from inventory.services.context import Actor
from tests import factories

HEADERS = [
    "资产编号",
    "名称",
    "部门",
    "序列号",
    "厂商",
    "型号",
    "购置日期",
    "原值",
    "集中方式",
    "涉密",
]


def asset_rows(n: int) -> list[list[str]]:
    return [
        [
            f"ZC2020{i:05d}",
            f"srv-{i}",
            "D1",
            f"2102311{i:07d}",
            "Huawei",
            "2288H V5",
            "2020-05-01",
            "56000.00",
            "上云集中",
            "否",
        ]
        for i in range(n)
    ]


def write_csv(
    path: Path, headers: list[str], rows: list[list[str]], encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def count_assets(session: Session) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(Asset)).scalar_one()


@pytest.fixture
def with_department(session: Session, actor: Actor) -> Department:
    return factories.department(session, actor, "D1", name="市教育局")


def test_1000_rows_with_3_bad_ones_report_exactly_those_and_write_nothing(
    session: Session, actor: Actor, with_department: Department, tmp_path: Path
) -> None:
    rows = asset_rows(1000)
    rows[10][6] = "2020-13-45"  # line 12: no such date
    rows[500][7] = "五万元"  # line 502: not an amount
    rows[998][8] = "搬到月球"  # line 1000: no such mode
    events_before = session.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one()
    report = import_file(
        session, actor, write_csv(tmp_path / "assets.csv", HEADERS, rows), "assets"
    )
    assert [(e.line, e.column) for e in report.errors] == [
        (12, "购置日期"),
        (502, "原值"),
        (1000, "集中方式"),
    ]
    assert "not a date" in report.errors[0].reason
    assert "上云集中" in report.errors[2].reason, "the reason lists the accepted values"
    assert not report.written
    assert report.valid == 997
    assert count_assets(session) == 0
    assert (
        session.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one()
        == events_before
    )


def test_skip_invalid_writes_the_good_rows_and_saves_the_bad_ones_beside_the_input(
    session: Session, actor: Actor, with_department: Department, tmp_path: Path
) -> None:
    rows = asset_rows(5)
    rows[1][2] = "不存在的部门"
    source = write_csv(tmp_path / "assets.csv", HEADERS, rows)
    report = import_file(session, actor, source, "assets", skip_invalid=True)
    assert report.written
    assert report.counts["created"] == 4
    rejected = list(
        csv.reader((tmp_path / "assets.rejected.csv").read_text(encoding="utf-8-sig").splitlines())
    )
    assert rejected[0][-1] == "错误 / error"
    assert rejected[1][:2] == ["ZC202000001", "srv-1"]
    assert "unknown department" in rejected[1][-1]


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(
    session: Session, actor: Actor, with_department: Department, tmp_path: Path
) -> None:
    report = import_file(
        session,
        actor,
        write_csv(tmp_path / "a.csv", HEADERS, asset_rows(3)),
        "assets",
        dry_run=True,
    )
    assert report.counts["created"] == 3
    assert not report.written
    assert count_assets(session) == 0


def test_gb18030_csv_from_chinese_excel_is_read(
    session: Session, actor: Actor, with_department: Department, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "gbk.csv", HEADERS, asset_rows(2), encoding="gb18030")
    report = import_file(session, actor, source, "assets")
    assert report.counts["created"] == 2
    assert session.exec(select(Asset.mode)).first() == "cloud"


def test_english_headers_and_values_work_as_well(
    session: Session, actor: Actor, with_department: Department, tmp_path: Path
) -> None:
    source = write_csv(
        tmp_path / "en.csv",
        ["asset_tag", "serial_number", "department", "mode", "is_classified"],
        [["T1", "SN1", "市教育局", "hosted", "no"]],
    )
    assert import_file(session, actor, source, "assets").counts["created"] == 1
    assert session.exec(select(Asset.mode)).one() == "hosted"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary", "NUL"),
        (b'asset_tag,serial_number\n"unclosed,1\n', "line"),
        (b"\xff\xfe\x00garbage", "neither UTF-8 nor GB18030"),
    ],
)
def test_malformed_files_get_a_clear_error(
    session: Session, actor: Actor, tmp_path: Path, content: bytes, message: str
) -> None:
    source = tmp_path / "bad.csv"
    source.write_bytes(content)
    with pytest.raises(FileFormatError, match=message):
        import_file(session, actor, source, "assets")


def test_a_corrupt_xlsx_gets_a_clear_error(session: Session, actor: Actor, tmp_path: Path) -> None:
    source = tmp_path / "bad.xlsx"
    source.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(FileFormatError, match="not a readable XLSX"):
        import_file(session, actor, source, "assets")


def test_unknown_and_repeated_columns_are_reported_on_line_1(
    session: Session, actor: Actor, tmp_path: Path
) -> None:
    source = write_csv(
        tmp_path / "cols.csv", ["序列号", "serial_number", "颜色"], [["a", "b", "c"]]
    )
    report = import_file(session, actor, source, "assets")
    assert {(e.line, e.column) for e in report.errors} == {(1, "serial_number"), (1, "颜色")}


def test_a_row_that_identifies_nothing_is_refused(
    session: Session, actor: Actor, tmp_path: Path
) -> None:
    report = import_file(
        session, actor, write_csv(tmp_path / "x.csv", ["名称", "厂商"], [["srv", "Dell"]]), "assets"
    )
    assert "nothing identifies this row" in report.errors[0].reason


def test_a_key_repeated_in_the_file_is_reported_on_its_second_line(
    session: Session, actor: Actor, tmp_path: Path
) -> None:
    report = import_file(
        session,
        actor,
        write_csv(tmp_path / "d.csv", ["序列号"], [["SN1"], ["SN2"], ["SN1"]]),
        "assets",
    )
    assert [(e.line, e.reason) for e in report.errors] == [(4, "'SN1' repeats line 2")]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_then_reimport_changes_nothing(
    session: Session, actor: Actor, tmp_path: Path, suffix: str, lang: str
) -> None:
    department = factories.department(session, actor, "D1", name="市教育局")
    factories.department(session, actor, "D2", name="市教育局信息中心", parent_id=department.id)
    hostile = '=HYPERLINK("http://x","点我")'
    factories.asset(
        session,
        actor,
        serial_number="SN1",
        name=hostile,
        department_code="D1",
        macs=["00:16:3e:00:00:01"],
        addresses=["10.1.0.1", "10.1.0.2"],
        purchase_value="12345.67",
        mode="managed",
        notes="'quoted",
    )
    factories.asset(session, actor, serial_number="SN2", is_classified=True, mode="exempt")
    first = session.exec(select(Asset)).all()
    factories.staff(session, actor, department.id, maintains=[first[0]])
    events = session.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one()
    for kind in ("departments", "assets", "staff"):
        path = tmp_path / f"{kind}{suffix}"
        export_file(session, path, kind, lang)
        report = import_file(session, actor, path, kind)
        assert report.errors == [], (kind, report.errors)
        assert report.counts.get("created", 0) == 0, (kind, report.counts)
        assert report.counts.get("updated", 0) == 0, (kind, report.counts)
    assert (
        session.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar_one() == events
    )
    assert session.exec(select(Asset.name).where(Asset.serial_number == "SN1")).one() == hostile


def test_exports_neutralise_spreadsheet_formulas_from_devices(
    session: Session, actor: Actor, tmp_path: Path
) -> None:
    factories.asset(
        session, actor, serial_number="SN1", name="=cmd|' /C calc'!A0", vendor="@SUM(1+1)"
    )
    export_file(session, tmp_path / "a.xlsx", "assets", "en")
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets[0]
    cells = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert "'@SUM(1+1)" in cells
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    export_file(session, tmp_path / "a.csv", "assets", "en")
    assert ",'=cmd|" in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("starter", ["＝", "＋", "－", "＠"])
def test_full_width_formula_starters_are_neutralised_and_round_trip(
    session: Session, actor: Actor, tmp_path: Path, starter: str
) -> None:
    """A full-width ＝ typed with a Chinese IME is a formula to WPS and Excel too."""
    hostile = f'{starter}HYPERLINK("http://evil.example/","点我")'
    factories.asset(session, actor, serial_number="SN1", name=hostile)
    export_file(session, tmp_path / "a.xlsx", "assets", "en")
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets[0]
    assert "'" + hostile in [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    import_file(session, actor, tmp_path / "a.xlsx", "assets")
    assert session.exec(select(Asset.name).where(Asset.serial_number == "SN1")).one() == hostile


def test_staff_import_links_staff_to_the_servers_they_maintain(
    session: Session, actor: Actor, tmp_path: Path
) -> None:
    factories.department(session, actor, "D1", name="市教育局")
    factories.asset(session, actor, serial_number="SN1", asset_tag="ZC1")
    source = write_csv(
        tmp_path / "s.csv",
        ["工号", "姓名", "部门", "维护资产"],
        [["G001", "王伟", "市教育局", "ZC1"]],
    )
    report = import_file(session, actor, source, "staff")
    assert report.counts == {"created": 1, "updated": 0, "unchanged": 0, "assignments_added": 1}
    assert session.exec(select(StaffAssignment)).one()
    assert session.exec(select(Staff.name)).one() == "王伟"


def test_department_import_resolves_parents_given_later_in_the_file(
    session: Session, actor: Actor, tmp_path: Path
) -> None:
    source = write_csv(
        tmp_path / "d.csv",
        ["部门编码", "部门名称", "上级部门编码", "公检法单位"],
        [["D2", "市公安局交警支队", "D1", "是"], ["D1", "市公安局", "", "是"]],
    )
    assert import_file(session, actor, source, "departments").counts["created"] == 2
    child = session.exec(select(Department).where(Department.code == "D2")).one()
    assert child.parent_id is not None
    assert child.is_law_enforcement
