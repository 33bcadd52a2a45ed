"""Turn a sheet into validated rows and a list of (line, column, reason) errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from inventory.domain.identifiers import (
    normalise_mac,
    normalise_machine_id,
    normalise_serial,
    normalise_uuid,
    uuid_key,
)
from inventory.interchange.columns import (
    COLUMNS,
    KINDS,
    Column,
    header_lookup,
    normalise_header,
)
from inventory.interchange.schemas import DepartmentIn, StaffIn
from inventory.interchange.tables import Sheet
from inventory.services.asset_input import AssetIn

SCHEMAS: dict[str, type[BaseModel]] = {
    "departments": DepartmentIn,
    "assets": AssetIn,
    "staff": StaffIn,
}
# A row must name something that identifies it, or re-imports would duplicate it.
IDENTITY_FIELDS = {
    "departments": ("code",),
    "assets": ("uid", "asset_tag", "serial_number", "system_uuid", "machine_id", "macs"),
    "staff": ("staff_no",),
}
UNIQUE_FIELDS = {
    "departments": ("code",),
    "assets": ("uid", "asset_tag", "serial_number", "system_uuid", "machine_id"),
    "staff": ("staff_no",),
}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str


@dataclass
class Validated:
    kind: str
    headers: list[str]
    good: list[tuple[int, BaseModel]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    raw: dict[int, list[Any]] = field(default_factory=dict)

    @property
    def bad_lines(self) -> set[int]:
        return {error.line for error in self.errors}


def map_headers(kind: str, headers: list[str]) -> tuple[dict[int, Column], list[RowError]]:
    """Which column each header is; unknown or repeated headers are errors on line 1."""
    lookup = header_lookup(kind)
    mapping: dict[int, Column] = {}
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for position, header in enumerate(headers):
        column = lookup.get(normalise_header(header))
        if column is None:
            if header.strip():
                accepted = ", ".join(f"{c.zh}/{c.en}" for c in COLUMNS[kind])
                errors.append(RowError(1, header, f"unknown column; accepted: {accepted}"))
            continue
        if column.field in seen:
            errors.append(RowError(1, header, f"same column as {seen[column.field]!r}"))
            continue
        seen[column.field] = header
        mapping[position] = column
    required = [f for f, info in SCHEMAS[kind].model_fields.items() if info.is_required()]
    for name in required:
        if name not in seen:
            column = next(c for c in COLUMNS[kind] if c.field == name)
            errors.append(
                RowError(1, column.zh, f"required column {column.zh}/{column.en} missing")
            )
    return mapping, errors


def looks_like(headers: list[str]) -> str | None:
    """The kind of sheet whose columns these headers are, all of them; None if no kind fits."""
    for kind in KINDS:
        if not map_headers(kind, headers)[1]:
            return kind
    return None


def validate_sheet(
    kind: str,
    sheet: Sheet,
    resolve_department: Callable[[str], str | None] | None = None,
) -> Validated:
    """Check every row; `resolve_department` maps a department code or name to its code."""
    mapping, header_errors = map_headers(kind, sheet.headers)
    result = Validated(kind=kind, headers=sheet.headers, errors=header_errors)
    if header_errors:
        return result
    header_of = {column.field: sheet.headers[pos] for pos, column in mapping.items()}
    first_line: dict[tuple[str, Any], int] = {}
    for line, cells in sheet.rows:
        result.raw[line] = cells
        values: dict[str, Any] = {}
        row_errors: list[RowError] = []
        if len(cells) > len(sheet.headers) and any(
            str(c).strip() for c in cells[len(sheet.headers) :] if c is not None
        ):
            row_errors.append(RowError(line, "", "more cells than header columns"))
        for position, column in mapping.items():
            raw = cells[position] if position < len(cells) else None
            try:
                value = column.parse(raw)
            except ValueError as exc:
                row_errors.append(RowError(line, sheet.headers[position], str(exc)))
                continue
            if value is not None and value != []:
                values[column.field] = value
        if "department_code" in values and resolve_department is not None:
            code = resolve_department(values["department_code"])
            if code is None:
                row_errors.append(
                    RowError(
                        line,
                        header_of["department_code"],
                        f"unknown department {values['department_code']!r}",
                    )
                )
            else:
                values["department_code"] = code
        if not row_errors:
            row_errors.extend(_check_model(kind, line, values, header_of))
        if not row_errors and not any(_comparable(f, values.get(f)) for f in IDENTITY_FIELDS[kind]):
            names = ", ".join(header_of.get(f, f) for f in IDENTITY_FIELDS[kind])
            row_errors.append(
                RowError(line, "", f"nothing identifies this row; fill one of: {names}")
            )
        if not row_errors:
            for name in UNIQUE_FIELDS[kind]:
                key = _comparable(name, values.get(name))
                if key is None:
                    continue
                earlier = first_line.setdefault((name, key), line)
                if earlier != line:
                    shown = values[name]
                    row_errors.append(
                        RowError(
                            line, header_of.get(name, name), f"{shown!r} repeats line {earlier}"
                        )
                    )
        if row_errors:
            result.errors.extend(row_errors)
        else:
            result.good.append((line, SCHEMAS[kind].model_validate(values)))
    return result


def _comparable(name: str, value: Any) -> Any:
    """The value as identity compares it: normalised, placeholders None (never a repeat)."""
    if value is None or value == []:
        return None
    if name in _NORMALISERS:
        return _NORMALISERS[name](value)
    if name == "macs":
        return [mac for mac in map(normalise_mac, value) if mac] or None
    return value


def _uuid(value: str) -> str | None:
    canonical = normalise_uuid(value)
    return uuid_key(canonical) if canonical else None


_NORMALISERS: dict[str, Callable[[str], str | None]] = {
    "serial_number": normalise_serial,
    "system_uuid": _uuid,
    "machine_id": normalise_machine_id,
}


def _check_model(
    kind: str, line: int, values: dict[str, Any], header_of: dict[str, str]
) -> list[RowError]:
    try:
        SCHEMAS[kind].model_validate(values)
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "mode"
            message = error["msg"].removeprefix("Value error, ")
            errors.append(RowError(line, header_of.get(name, name), message))
        return errors
    return []
