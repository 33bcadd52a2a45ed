"""Bulk commands hold off the cyclic collector for their own run, and only then."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.cli.runner import run


@pytest.fixture
def collector_state_per_statement() -> Iterator[list[bool]]:
    """gc.isenabled() as seen by every SQL statement any engine runs."""
    was = gc.isenabled()
    gc.enable()
    states: list[bool] = []

    def record(*_args: object) -> None:
        states.append(gc.isenabled())

    sa.event.listen(sa.Engine, "before_cursor_execute", record)
    yield states
    sa.event.remove(sa.Engine, "before_cursor_execute", record)
    (gc.enable if was else gc.disable)()


def test_an_import_runs_with_the_collector_paused_and_restores_it(
    database_url: str, tmp_path: Path, collector_state_per_statement: list[bool]
) -> None:
    source = tmp_path / "assets.csv"
    source.write_text("名称,序列号\nsrv1,2102311000001\n", encoding="utf-8")
    env = {"INVENTORY_DATABASE_URL": database_url}
    assert run("db", "upgrade", env=env)[0] == 0
    assert all(collector_state_per_statement)  # not a bulk command
    collector_state_per_statement.clear()
    code, output = run("import", str(source), "--kind", "assets", env=env)
    assert code == 0, output
    assert collector_state_per_statement
    assert not any(collector_state_per_statement)
    assert gc.isenabled()
