"""What every command shares: settings, the database, errors, output."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape

from inventory.domain.errors import DomainError

if TYPE_CHECKING:
    import sqlalchemy as sa
    from rich.progress import Progress

    from inventory.settings import Settings

# The drivers SQLAlchemy may ask for a postgresql:// URL; the extra installs psycopg.
POSTGRES_DRIVERS = frozenset({"psycopg", "psycopg2", "pg8000", "asyncpg"})
console = Console()
errors = Console(stderr=True)


@dataclass
class CliState:
    config_file: Path | None = None
    database_url: str | None = None
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from inventory.settings import load_settings

            explicit = {"database_url": self.database_url} if self.database_url else {}
            self._settings = load_settings(self.config_file, **explicit)
        return self._settings


def state(ctx: typer.Context) -> CliState:
    found = ctx.find_root().obj
    if not isinstance(found, CliState):
        found = CliState()
        ctx.find_root().obj = found
    return found


def fail(message: str, prefix: str = "error") -> None:
    """One line on stderr: never wrapped, never read as markup (it may quote a device)."""
    line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    errors.print(f"[bold red]{prefix}:[/] {escape(line)}", highlight=False, soft_wrap=True)


@contextmanager
def cli_errors() -> Iterator[None]:
    """Turn the errors a user can cause into one clear line and exit status 1."""
    try:
        yield
    # SettingsError and the interchange's FileFormatError are ValueErrors.
    except (DomainError, ValueError) as exc:
        fail(str(exc))
        raise typer.Exit(1) from None
    except ModuleNotFoundError as exc:
        if exc.name not in POSTGRES_DRIVERS:
            raise
        fail(
            f"the PostgreSQL driver {exc.name} is not installed: pip install "
            "'consolidation-inventory[postgres]' (psycopg), or use a postgresql+psycopg:// URL"
        )
        raise typer.Exit(1) from None
    except OSError as exc:  # a file or folder the user named: say which and why
        fail(f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc))
        raise typer.Exit(1) from None
    except Exception as exc:
        # sqlalchemy is imported by the command that raised, never here: a
        # command that never loaded it cannot have raised its errors.
        database = sys.modules.get("sqlalchemy.exc")
        if database is None or not isinstance(exc, database.OperationalError):
            raise
        fail(str(exc.orig), "database error")
        raise typer.Exit(1) from None


def open_database(ctx: typer.Context, *, upgrade: bool = False) -> sa.Engine:
    """The engine, refusing a database whose schema is behind (unless told to upgrade)."""
    from inventory.db.engine import engine_from_settings
    from inventory.db.migrate import current_revision, head_revision
    from inventory.settings import SettingsError

    engine = engine_from_settings(state(ctx).settings)
    ctx.call_on_close(engine.dispose)  # no connection outlives the command
    if upgrade:
        from inventory.db.migrate import upgrade as run_upgrade

        repaired = run_upgrade(engine)
    elif current_revision(engine) != head_revision():
        raise SettingsError(
            f"the database at {engine.url.render_as_string(hide_password=True)} is not at the "
            "current schema; run `inventory db upgrade` first"
        )
    else:
        from inventory.db.migrate import repair_triggers

        repaired = repair_triggers(engine)
    if repaired:
        errors.print(
            f"warning: audit trigger(s) were missing or disabled and have been re-created: "
            f"{', '.join(repaired)}; somebody with owner rights removed them "
            "(run `inventory audit verify`)",
            highlight=False,
            markup=False,
        )
    return engine


def bulk_process(ctx: typer.Context) -> None:
    """Mark this command's process as a batch: the cyclic collector is off until it ends.

    Only CLI commands that write many rows call this (the process does nothing
    else); the services never do, so the web service keeps collecting.
    """
    from inventory.services.gc_pause import gc_paused

    ctx.with_resource(gc_paused())


def read_secret(variable: str | None, what: str) -> str:
    """A secret from the named environment variable, else a hidden prompt; never from argv."""
    if variable:
        value = os.environ.get(variable)
        if not value:
            raise ValueError(f"environment variable {variable} is not set or empty")
        return value
    value = typer.prompt(what, hide_input=True)
    if not value:
        raise ValueError(f"an empty {what} is not a credential")
    return str(value)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def print_table(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A table of plain values; device strings are printed as text, never as markup."""
    from rich.table import Table

    table = Table(title=title)
    for header in headers:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*("" if value is None else str(value) for value in row))
    console.print(table, markup=False)


def progress_bar(hidden: bool, counts: str | None = None) -> Progress:
    """The one progress bar of long CLI work: what, bar, done of total, `counts`, time left.

    `counts` is a rich text template over the task's fields (e.g. "应答 responding
    {task.fields[responding]}"); `hidden` for --json output. Transient: the result
    printed afterwards replaces it.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as RichProgress

    columns: list[Any] = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    if counts:
        columns.append(TextColumn(counts))
    columns.append(TimeRemainingColumn())
    return RichProgress(*columns, console=console, transient=True, disable=hidden)
