"""Alembic, driven from code: `inventory db upgrade` and the tests call these."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from inventory.db.triggers import ensure_triggers

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: sa.Engine, revision: str = "head") -> list[str]:
    """Migrate to `revision`; at head, also re-create any audit trigger found missing.

    Returns the names of the triggers it had to re-create (normally none).
    """
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)
        if revision == "head":
            return ensure_triggers(connection)
    return []


def repair_triggers(engine: sa.Engine) -> list[str]:
    """Re-create missing audit triggers on an up-to-date schema (start-up); their names."""
    with engine.begin() as connection:
        return ensure_triggers(connection)


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_up_to_date(engine: sa.Engine) -> bool:
    return current_revision(engine) == head_revision()
