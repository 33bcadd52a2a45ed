"""Asset imports in two passes over the file, so memory stays flat in the number of rows.

Pass one validates every row (in chunks, each forgotten once checked) and
keeps only the errors, the raw cells of bad rows (for the rejected file) and
each identifier's first line (to catch a repeat across chunks). Pass two, only
if the file may be written, reads the file again and upserts chunk by chunk
in the caller's one transaction: nothing is written unless every row passed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from sqlmodel import Session

from inventory.interchange.tables import Limits, Sheet, open_sheet
from inventory.interchange.validate import (
    UNIQUE_FIELDS,
    RowError,
    Validated,
    _comparable,
    validate_sheet,
)
from inventory.services.asset_input import AssetIn
from inventory.services.context import Actor
from inventory.services.upsert import upsert_assets

CHUNK_ROWS = 5_000  # rows validated or written at a time: bounds memory, not speed
Resolver = Callable[[str], str | None]


def _chunks(rows: Iterator[tuple[int, list[Any]]]) -> Iterator[list[tuple[int, list[Any]]]]:
    while chunk := list(islice(rows, CHUNK_ROWS)):
        yield chunk


def _repeats(checked: Validated, seen: dict[tuple[str, Any], int]) -> list[RowError]:
    """Identifiers that repeat a line of an earlier chunk (validate_sheet sees one chunk)."""
    errors: list[RowError] = []
    for line, row in checked.good:
        for name in UNIQUE_FIELDS["assets"]:
            value = getattr(row, name, None)
            key = _comparable(name, value)
            if key is None:
                continue
            earlier = seen.setdefault((name, key), line)
            if earlier != line:
                errors.append(RowError(line, name, f"{value!r} repeats line {earlier}"))
    return errors


def validate_assets(path: Path, limits: Limits, resolve: Resolver) -> tuple[Validated, int]:
    """Every row checked; the result holds errors and bad rows' cells only. Also the row count."""
    seen: dict[tuple[str, Any], int] = {}
    total = 0
    with open_sheet(path, limits) as stream:
        result = Validated(kind="assets", headers=stream.headers)
        for chunk in _chunks(stream.rows):
            total += len(chunk)
            checked = validate_sheet("assets", Sheet(stream.headers, chunk), resolve)
            checked.errors.extend(_repeats(checked, seen))
            bad = checked.bad_lines
            result.errors.extend(checked.errors)
            result.raw.update((line, cells) for line, cells in chunk if line in bad)
    return result, total


def write_assets(
    session: Session,
    actor: Actor,
    path: Path,
    limits: Limits,
    resolve: Resolver,
    skip: set[int],
    reason: str,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Read the file again and upsert its rows (all but the `skip` lines), chunk by chunk."""
    counts: dict[str, int] = {}
    done = 0
    with open_sheet(path, limits) as stream:
        for chunk in _chunks(stream.rows):
            checked = validate_sheet("assets", Sheet(stream.headers, chunk), resolve)
            rows = [row for line, row in checked.good if line not in skip]
            result = upsert_assets(
                session, actor, [row for row in rows if isinstance(row, AssetIn)], reason
            )
            for name, value in result.counts.items():
                counts[name] = counts.get(name, 0) + value
            done += len(chunk)
            if progress:
                progress(done)
    return counts
