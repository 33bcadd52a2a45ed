"""Imports are bounded: the header is checked first, rows stream, and caps on rows and
cells (the import_max_rows / import_max_cells settings) refuse a sheet with a clear error."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import Session

from inventory.interchange.importer import import_file
from inventory.interchange.tables import FileFormatError, Limits, open_sheet
from inventory.services.context import Actor
from tests.cli.runner import run


def _xlsx_claiming(path: Path, ref: str, header: list[str]) -> Path:
    """A real two-row workbook whose sheet dimension claims `ref` (as a crafted file can)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    sheet.append(["T1", "SN1"])
    plain = path.with_name("plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            target.writestr(item, data)
    return path


def test_an_xlsx_claiming_a_million_rows_is_refused_before_any_row_is_read(
    session: Session, actor: Actor, tmp_path: Path
) -> None:
    source = _xlsx_claiming(tmp_path / "huge.xlsx", "A1:AX1000001", ["资产编号", "序列号"])
    started = time.process_time()
    with pytest.raises(FileFormatError, match=r"1000000 rows.*import_max_rows"):
        import_file(session, actor, source, "assets")
    assert time.process_time() - started < 5  # CPU, not wall clock: nothing was parsed


def test_a_claim_within_the_row_cap_but_past_the_cell_cap_is_refused(tmp_path: Path) -> None:
    source = _xlsx_claiming(tmp_path / "wide.xlsx", "A1:Z101", ["资产编号", "序列号"])
    with (
        pytest.raises(FileFormatError, match=r"100 x 26 cells.*import_max_cells"),
        open_sheet(source, Limits(max_rows=1000, max_cells=2000)),
    ):
        pass


def test_a_bad_header_is_reported_before_the_rows_are_read(
    session: Session, actor: Actor, tmp_path: Path
) -> None:
    source = tmp_path / "wrong.csv"
    # The body is not even valid CSV: had it been read, that would be the error.
    source.write_bytes('资产编号,颜色\nT1,"unclosed\n'.encode())
    report = import_file(session, actor, source, "assets")
    assert [(e.line, e.column) for e in report.errors] == [(1, "颜色")]
    assert report.total == 0
    assert not report.written


@pytest.mark.parametrize(
    ("limits", "cap"),
    [(Limits(max_rows=10), "import_max_rows"), (Limits(max_cells=15), "import_max_cells")],
)
def test_rows_past_a_cap_refuse_the_whole_file(
    session: Session, actor: Actor, tmp_path: Path, limits: Limits, cap: str
) -> None:
    source = tmp_path / "many.csv"
    source.write_text("资产编号,序列号\n" + "".join(f"T{n},SN{n}\n" for n in range(11)))
    with pytest.raises(FileFormatError, match=cap):
        import_file(session, actor, source, "assets", limits=limits)


def test_a_row_claiming_thousands_of_cells_keeps_one_past_the_header(tmp_path: Path) -> None:
    source = tmp_path / "wide.csv"
    source.write_text("资产编号,序列号\nT1,SN1" + "," * 5000 + "x\n")
    with open_sheet(source) as stream:
        ((line, cells),) = list(stream.rows)
    assert (line, len(cells)) == (2, 3)


def test_the_cli_names_the_setting_in_one_line(database_url: str, tmp_path: Path) -> None:
    env = {"INVENTORY_DATABASE_URL": database_url}
    assert run("db", "upgrade", env=env)[0] == 0
    source = tmp_path / "many.csv"
    source.write_text("资产编号,序列号\n" + "".join(f"T{n},SN{n}\n" for n in range(6)))
    code, output = run(
        "import", str(source), "--kind", "assets", env={**env, "INVENTORY_IMPORT_MAX_ROWS": "5"}
    )
    assert code == 1
    assert "more than 5 rows (the import_max_rows setting)" in output
    assert "Traceback" not in output


def test_assets_stream_in_chunks_and_a_repeat_across_chunks_is_still_caught(
    session: Session, actor: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inventory.interchange import streaming

    monkeypatch.setattr(streaming, "CHUNK_ROWS", 3)  # ten rows: four chunks
    source = tmp_path / "assets.csv"
    lines = [f"T{n},SN{n}" for n in range(9)] + ["T9,SN1"]  # line 11 repeats line 3's serial
    source.write_text("资产编号,序列号\n" + "\n".join(lines) + "\n")
    report = import_file(session, actor, source, "assets")
    assert [(e.line, e.reason) for e in report.errors] == [(11, "'SN1' repeats line 3")]
    assert (report.total, report.valid, report.written) == (10, 9, False)

    skipped = import_file(session, actor, source, "assets", skip_invalid=True)
    assert skipped.counts["created"] == 9  # written chunk by chunk, the bad line left out
