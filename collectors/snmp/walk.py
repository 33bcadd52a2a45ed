"""Table walks over GETBULK (GETNEXT rows on v1), safe against hostile agents.

A walk stops at the end of its subtree, at endOfMibView, at a non-increasing
OID (an agent looping) or at a cap on values, and says why it stopped early.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from collectors.snmp.client import Session, TooBig
from collectors.snmp.types import Missing, Oid, SnmpValue

MAX_REPETITIONS = 25
MAX_VALUES = 20_000


@dataclass
class Walked:
    """Values per column, keyed by the row index (the OID suffix after the column)."""

    columns: dict[Oid, dict[tuple[int, ...], SnmpValue]] = field(default_factory=dict)
    problem: str | None = None

    def column(self, oid: Oid) -> dict[tuple[int, ...], SnmpValue]:
        return self.columns.get(oid, {})

    @property
    def values(self) -> int:
        return sum(len(c) for c in self.columns.values())


async def walk_columns(
    session: Session,
    columns: Sequence[Oid],
    max_repetitions: int = MAX_REPETITIONS,
    max_values: int = MAX_VALUES,
) -> Walked:
    """Walk several columns of a table side by side, one request per block of rows."""
    result = Walked({column: {} for column in columns})
    cursor = {column: column for column in columns}  # the last OID seen per active column
    repetitions = max_repetitions
    while cursor:
        active = list(cursor)
        try:
            varbinds = await session.bulk([cursor[c] for c in active], repetitions)
        except TooBig:
            if repetitions == 1:
                result.problem = "agent answered tooBig even for one row"
                return result
            repetitions = max(1, repetitions // 2)
            continue
        if not varbinds:
            result.problem = "agent answered an empty GETBULK"
            return result
        finished: set[Oid] = set()
        for position, (oid, value) in enumerate(varbinds):
            column = active[position % len(active)]
            if column in finished:
                continue
            if value is Missing.END_OF_MIB_VIEW or not oid.startswith(column):
                finished.add(column)
                continue
            if oid <= cursor[column]:
                result.problem = f"agent returned a non-increasing OID {oid} after {cursor[column]}"
                return result
            cursor[column] = oid
            result.columns[column][tuple(oid[len(column) :])] = value
            if result.values >= max_values:
                result.problem = f"walk cut at {max_values} values"
                return result
        # A column that got no row in a full answer has ended too.
        for column in finished:
            cursor.pop(column, None)
    return result
