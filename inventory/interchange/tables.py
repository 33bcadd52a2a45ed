"""Reading and writing sheets as CSV or XLSX; the format follows the file name."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.exceptions import InvalidFileException

FORMATS = (".csv", ".xlsx")
MAX_ROWS = 500_000  # defaults of the import_max_rows / import_max_cells settings
MAX_CELLS = 20_000_000
_CHUNK = 1 << 20


class FileFormatError(ValueError):
    """The file cannot be read as a sheet at all; nothing was imported."""


@dataclass(frozen=True)
class Limits:
    """Caps on what one sheet may hold (the import_max_rows / import_max_cells settings)."""

    max_rows: int = MAX_ROWS
    max_cells: int = MAX_CELLS


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (line or row number, cells)


@dataclass
class SheetStream:
    """A sheet's header, read first, and its rows as they are read (capped by `limits`)."""

    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]


def sheet_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise FileFormatError(f"{path.name}: unsupported format {suffix!r}; use .csv or .xlsx")
    return suffix


def read_sheet(path: Path, limits: Limits = DEFAULT_LIMITS) -> Sheet:
    """The whole sheet in memory (exports read back, small files); imports stream."""
    with open_sheet(path, limits) as stream:
        return Sheet(stream.headers, list(stream.rows))


@contextmanager
def open_sheet(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[SheetStream]:
    """The header row at once, the rest as an iterator; refused past `limits`.

    Rows with no content are skipped; a row's cells past the header's width
    are cut to one (enough for the validator to say the row is too wide), so a
    row claiming thousands of columns costs nothing.
    """
    if sheet_format(path) == ".csv":
        with _csv_stream(path) as (headers, rows):
            yield SheetStream(headers, _capped(path.name, headers, rows, limits))
    else:
        with _xlsx_stream(path, limits) as (headers, rows):
            yield SheetStream(headers, _capped(path.name, headers, rows, limits))


def _capped(
    name: str, headers: list[str], rows: Iterator[tuple[int, list[Any]]], limits: Limits
) -> Iterator[tuple[int, list[Any]]]:
    width = max(len(headers), 1)
    for count, (line, cells) in enumerate(rows, start=1):
        if count > limits.max_rows:
            raise FileFormatError(
                f"{name}: more than {limits.max_rows} rows (the import_max_rows setting); "
                "split the file or raise the setting"
            )
        if count * width > limits.max_cells:
            raise FileFormatError(
                f"{name}: more than {limits.max_cells} cells (the import_max_cells setting); "
                "split the file or raise the setting"
            )
        yield line, cells[: width + 1]


def _encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes so, else GB18030; chunk by chunk.

    Excel and WPS on Chinese Windows save CSV as GB18030 (GBK); others as UTF-8.
    """
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    decoder.decode(chunk)
                    if b"\x00" in chunk:
                        raise FileFormatError(f"{path.name}: contains NUL bytes; is it really CSV?")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FileFormatError(f"{path.name}: neither UTF-8 nor GB18030 text")


@contextmanager
def _csv_stream(path: Path) -> Iterator[tuple[list[str], Iterator[tuple[int, list[Any]]]]]:
    encoding = _encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            headers = next(reader, None)
        except csv.Error as exc:
            raise FileFormatError(f"{path.name}, line {reader.line_num}: {exc}") from None
        if not headers:
            raise FileFormatError(f"{path.name}: empty file, no header row")
        yield headers, _csv_rows(path.name, reader)


def _csv_rows(name: str, reader: Any) -> Iterator[tuple[int, list[Any]]]:
    line = reader.line_num + 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if any(cell.strip() for cell in cells):
                yield start, cells
    except csv.Error as exc:
        raise FileFormatError(f"{name}, line {reader.line_num}: {exc}") from None


@contextmanager
def _xlsx_stream(
    path: Path, limits: Limits
) -> Iterator[tuple[list[str], Iterator[tuple[int, list[Any]]]]]:
    try:
        # read-only: rows are parsed as iterated, never held as a whole sheet
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileFormatError(f"{path.name}: not a readable XLSX workbook ({exc})") from None
    try:
        sheet = workbook.worksheets[0]
        _check_claim(path.name, sheet, limits)
        iterator = sheet.iter_rows(values_only=True)
        header_row = next(iterator, None)
        if not header_row or not any(header_row):
            raise FileFormatError(f"{path.name}: empty sheet, no header row")
        headers = ["" if h is None else str(h) for h in header_row]
        while headers and not headers[-1]:
            headers.pop()  # a dimension wider than the header pads it with empty cells
        rows = (
            (number, list(cells))
            for number, cells in enumerate(iterator, start=2)
            if any(c is not None and str(c).strip() for c in cells)
        )
        yield headers, rows
    finally:
        workbook.close()


def _check_claim(name: str, sheet: Any, limits: Limits) -> None:
    """Refuse at once what the sheet's own dimension says is too big (no row read yet)."""
    rows, columns = sheet.max_row, sheet.max_column
    if not rows or not columns:
        return  # no dimension recorded: the running count decides
    if rows - 1 > limits.max_rows:
        raise FileFormatError(
            f"{name}: the sheet says it has {rows - 1} rows, more than {limits.max_rows} "
            "(the import_max_rows setting)"
        )
    if (rows - 1) * columns > limits.max_cells:
        raise FileFormatError(
            f"{name}: the sheet says it has {rows - 1} x {columns} cells, more than "
            f"{limits.max_cells} (the import_max_cells setting)"
        )


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
