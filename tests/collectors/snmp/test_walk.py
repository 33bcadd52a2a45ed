"""Walks end where they should, even when an agent misbehaves."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from collectors.credentials import SnmpVersion
from collectors.snmp.client import TooBig
from collectors.snmp.types import Missing, Oid, SnmpValue, VarBind
from collectors.snmp.walk import Walked, walk_columns

P = Oid.parse


class TableAgent:
    """A Session over a sorted table, answering GETBULK like an agent would."""

    version = SnmpVersion.V2C

    def __init__(self, table: dict[Oid, SnmpValue], max_varbinds: int = 1000) -> None:
        self.table = dict(sorted(table.items()))
        self.max_varbinds = max_varbinds
        self.requests: list[tuple[list[Oid], int]] = []

    def _next(self, oid: Oid) -> VarBind:
        for key, value in self.table.items():
            if key > oid:
                return key, value
        return oid, Missing.END_OF_MIB_VIEW

    async def get(self, oids: Sequence[Oid]) -> list[VarBind]:
        return [(o, self.table.get(o, Missing.NO_SUCH_OBJECT)) for o in oids]

    async def bulk(self, oids: Sequence[Oid], max_repetitions: int) -> list[VarBind]:
        self.requests.append((list(oids), max_repetitions))
        if len(oids) * max_repetitions > self.max_varbinds:
            raise TooBig("agent answered tooBig")
        rows: list[VarBind] = []
        cursors = list(oids)
        for _ in range(max_repetitions):
            row = [self._next(c) for c in cursors]
            rows += row
            cursors = [oid for oid, _ in row]
        return rows


def walk(agent: TableAgent, columns: list[str], **kwargs: int) -> Walked:
    return asyncio.run(walk_columns(agent, [P(c) for c in columns], **kwargs))


def interfaces(count: int) -> dict[Oid, SnmpValue]:
    table: dict[Oid, SnmpValue] = {}
    for index in range(1, count + 1):
        table[P(f"1.3.6.1.2.1.2.2.1.2.{index}")] = f"eth{index}".encode()
        table[P(f"1.3.6.1.2.1.2.2.1.6.{index}")] = bytes([0, 0x1A, 0, 0, index // 256, index % 256])
    table[P("1.3.6.1.2.1.4.1.0")] = 1  # what follows the table
    return table


def test_columns_walked_side_by_side_stop_at_the_end_of_their_table() -> None:
    agent = TableAgent(interfaces(60))
    walked = walk(agent, ["1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.6"], max_repetitions=25)
    assert walked.problem is None
    assert len(walked.column(P("1.3.6.1.2.1.2.2.1.2"))) == 60
    assert walked.column(P("1.3.6.1.2.1.2.2.1.6"))[(7,)] == bytes([0, 0x1A, 0, 0, 0, 7])
    assert len(agent.requests) == 3  # 60 rows in blocks of 25


def test_too_big_halves_the_block_until_the_agent_copes() -> None:
    agent = TableAgent(interfaces(10), max_varbinds=8)
    walked = walk(agent, ["1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.6"], max_repetitions=25)
    assert len(walked.column(P("1.3.6.1.2.1.2.2.1.2"))) == 10
    assert [r for _, r in agent.requests][:4] == [25, 12, 6, 3]


def test_an_agent_that_cannot_answer_one_row_is_reported() -> None:
    agent = TableAgent(interfaces(3), max_varbinds=0)
    walked = walk(agent, ["1.3.6.1.2.1.2.2.1.2"])
    assert "tooBig even for one row" in (walked.problem or "")


class LoopingAgent(TableAgent):
    """Answers every GETBULK with the same row: a walk that would never end."""

    async def bulk(self, oids: Sequence[Oid], max_repetitions: int) -> list[VarBind]:
        self.requests.append((list(oids), max_repetitions))
        return [(P("1.3.6.1.2.1.2.2.1.2.1"), b"eth1")] * max_repetitions


def test_a_looping_agent_is_caught_by_the_non_increasing_oid() -> None:
    agent = LoopingAgent({})
    walked = walk(agent, ["1.3.6.1.2.1.2.2.1.2"])
    assert "non-increasing" in (walked.problem or "")
    assert len(agent.requests) == 1


def test_an_endless_table_is_cut_at_the_cap() -> None:
    agent = TableAgent(interfaces(500))
    walked = walk(agent, ["1.3.6.1.2.1.2.2.1.2"], max_values=100)
    assert walked.problem == "walk cut at 100 values"
    assert walked.values == 100


def test_an_empty_table_is_an_empty_walk() -> None:
    walked = walk(TableAgent({P("1.3.6.1.2.1.4.1.0"): 1}), ["1.3.6.1.2.1.2.2.1.2"])
    assert walked.problem is None
    assert walked.values == 0
