"""The SQLite database and its WAL/SHM files are private (0600), like the key file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import sqlalchemy as sa

from inventory.db.engine import make_engine
from inventory.db.migrate import upgrade


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_wal_and_shm_files_are_0600(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # the usual umask, which alone would give 0644
    try:
        path = tmp_path / "inventory.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        with engine.begin() as connection:  # keep the WAL and SHM files while checking
            connection.execute(sa.text("SELECT 1"))
            modes = {p.name: _mode(p) for p in tmp_path.iterdir()}
        engine.dispose()
    finally:
        os.umask(previous)
    assert modes == {
        "inventory.sqlite3": 0o600,
        "inventory.sqlite3-wal": 0o600,
        "inventory.sqlite3-shm": 0o600,
    }


def test_an_existing_world_readable_database_is_narrowed(tmp_path: Path) -> None:
    path = tmp_path / "inventory.sqlite3"
    path.touch(mode=0o644)
    path.chmod(0o644)
    make_engine(f"sqlite:///{path}").dispose()
    assert _mode(path) == 0o600
