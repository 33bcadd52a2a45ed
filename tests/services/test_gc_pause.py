"""The cyclic collector is off while a bulk process runs and back as it was afterwards."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from inventory.db.engine import session_scope
from inventory.db.migrate import upgrade
from inventory.services.asset_input import AssetIn
from inventory.services.context import Actor
from inventory.services.gc_pause import gc_paused
from inventory.services.upsert import upsert_assets


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_comes_back_when_the_batch_fails() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("a bad row")
    assert gc.isenabled()


def test_overlapping_batches_keep_it_off_until_the_last_one_ends() -> None:
    gc.enable()
    first_inside, second_done = threading.Event(), threading.Event()
    states: list[bool] = []

    def first() -> None:
        with gc_paused():
            first_inside.set()
            second_done.wait(timeout=10)
            states.append(gc.isenabled())  # the second batch ended before this one

    thread = threading.Thread(target=first)
    thread.start()
    first_inside.wait(timeout=10)
    with gc_paused():
        pass
    second_done.set()
    thread.join(timeout=10)
    assert states == [False]
    assert gc.isenabled()


def test_a_collector_someone_else_turned_off_stays_off() -> None:
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_the_services_never_pause_the_collector(engine: sa.Engine, actor: Actor) -> None:
    # The web service merges scans in a thread: its requests must keep being
    # collected, so the switch belongs to bulk entry points, never to a service.
    gc.enable()
    upgrade(engine)
    states: list[bool] = []

    def record(*_args: object) -> None:
        states.append(gc.isenabled())

    sa.event.listen(engine, "before_cursor_execute", record)
    with session_scope(engine) as session:
        upsert_assets(session, actor, [AssetIn(name="srv1", serial_number="2102311000001")], "t")
    assert states
    assert all(states)
