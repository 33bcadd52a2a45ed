"""Reading and writing sheets as CSV or XLSX; the format follows the file name."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.exceptions import InvalidFileException

FORMATS = (".csv", ".xlsx")
MAX_ROWS = 1_000_000


class FileFormatError(ValueError):
    """The file cannot be read as a sheet at all; nothing was imported."""


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (line or row number, cells)


def sheet_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise FileFormatError(f"{path.name}: unsupported format {suffix!r}; use .csv or .xlsx")
    return suffix


def read_sheet(path: Path) -> Sheet:
    if sheet_format(path) == ".csv":
        return _read_csv(path)
    return _read_xlsx(path)


def _decode(data: bytes, name: str) -> str:
    # Excel and WPS on Chinese Windows save CSV as GB18030 (GBK); others as UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileFormatError(f"{name}: neither UTF-8 nor GB18030 text")


def _read_csv(path: Path) -> Sheet:
    text = _decode(path.read_bytes(), path.name)
    if "\x00" in text:
        raise FileFormatError(f"{path.name}: contains NUL bytes; is it really CSV?")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[Any]]] = []
    headers: list[str] | None = None
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if headers is None:
                headers = cells
                continue
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
            if len(rows) > MAX_ROWS:
                raise FileFormatError(f"{path.name}: more than {MAX_ROWS} rows")
    except csv.Error as exc:
        raise FileFormatError(f"{path.name}, line {reader.line_num}: {exc}") from None
    if not headers:
        raise FileFormatError(f"{path.name}: empty file, no header row")
    return Sheet(headers, rows)


def _read_xlsx(path: Path) -> Sheet:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileFormatError(f"{path.name}: not a readable XLSX workbook ({exc})") from None
    try:
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        header_row = next(iterator, None)
        if not header_row or not any(header_row):
            raise FileFormatError(f"{path.name}: empty sheet, no header row")
        headers = ["" if h is None else str(h) for h in header_row]
        rows = [
            (number, list(cells))
            for number, cells in enumerate(iterator, start=2)
            if any(c is not None and str(c).strip() for c in cells)
        ]
    finally:
        workbook.close()
    return Sheet(headers, rows)


def write_sheet(path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Write atomically: a reader never sees half a file, a failure leaves no file."""
    temporary = path.with_name(f".{path.name}.partial")
    try:
        if sheet_format(path) == ".csv":
            # UTF-8 with BOM: Excel on Chinese Windows opens it without mojibake.
            with temporary.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(headers)
                writer.writerows(rows)
        else:
            workbook = openpyxl.Workbook(write_only=True)
            sheet = workbook.create_sheet()
            sheet.append(list(headers))
            for row in rows:
                sheet.append([_xlsx_safe(cell) for cell in row])
            workbook.save(temporary)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def _xlsx_safe(value: Any) -> Any:
    # Control characters are illegal in XLSX; a device may still send them.
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value
