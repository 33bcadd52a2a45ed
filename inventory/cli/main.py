"""The `inventory` command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from inventory import __version__
from inventory.cli.assets import asset_app
from inventory.cli.audit_verify import verify_command
from inventory.cli.common import (
    bulk_process,
    cli_errors,
    console,
    open_database,
    print_json,
    progress_bar,
    state,
)
from inventory.cli.credentials import credential_app
from inventory.cli.data import export_command, import_command
from inventory.cli.scan import hostkey_app, review_app, scan_command
from inventory.cli.web import serve_command, user_app
from inventory.domain.labels import both

if TYPE_CHECKING:
    from inventory.services.discovery import ScanProgress

# `inventory --help` must answer at once: each command imports what it needs
# (the database, the services, the network libraries) when it runs, never at
# module level (tests/cli/test_startup.py checks it).
app = typer.Typer(
    name="inventory",
    help="四集中 infrastructure consolidation and asset inventory.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail (审计日志).", no_args_is_help=True)
settings_app = typer.Typer(help="Effective settings.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(asset_app, name="asset")
app.add_typer(audit_app, name="audit")
app.add_typer(settings_app, name="settings")
app.add_typer(credential_app, name="credential")
app.add_typer(review_app, name="review")
app.add_typer(hostkey_app, name="hostkey")
app.add_typer(user_app, name="user")
audit_app.command("verify")(verify_command)
app.command("serve")(serve_command)
app.command("scan")(scan_command)
app.command("import")(import_command)
app.command("export")(export_command)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _version(value: bool) -> None:
    if value:
        console.print(f"inventory {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="TOML config file (else $INVENTORY_CONFIG or the user config dir).",
            dir_okay=False,
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="Overrides INVENTORY_DATABASE_URL for this command."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """四集中 infrastructure consolidation and asset inventory."""
    current = state(ctx)
    current.config_file = config
    current.database_url = database_url


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Create or migrate the schema to the latest revision."""
    from inventory.db.migrate import current_revision

    with cli_errors():
        engine = open_database(ctx, upgrade=True)
        console.print(f"database at revision {current_revision(engine)}")


@db_app.command("current")
def db_current(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show the schema revision and whether it is up to date."""
    with cli_errors():
        from inventory.db.engine import engine_from_settings
        from inventory.db.migrate import current_revision, head_revision

        engine = engine_from_settings(state(ctx).settings)
        ctx.call_on_close(engine.dispose)
        current, head = current_revision(engine), head_revision()
    if as_json:
        print_json({"current": current, "head": head, "up_to_date": current == head})
    else:
        console.print(f"current {current or '(empty)'}; head {head}")


@app.command()
def summary(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The estate summary: counts by mode, department, status; migration progress."""
    from inventory.cli.render import print_summary
    from inventory.db.engine import session_scope
    from inventory.services.summary import estate_summary

    with cli_errors():
        settings = state(ctx).settings
        engine = open_database(ctx)
        with session_scope(engine) as session:
            result = estate_summary(session, settings.stale_after_days)
    if as_json:
        print_json(result.as_dict())
    else:
        print_summary(console, result)


@app.command()
def demo(
    ctx: typer.Context,
    as_json: JsonOption = False,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds per SNMP request.", min=0.01)
    ] = 1.0,
    retries: Annotated[int, typer.Option("--retries", help="SNMP retries.", min=0)] = 1,
) -> None:
    """The main job: load the sample ledger, start a lab of SNMP agents, discover them."""
    from inventory.cli.render import print_discovery, print_summary
    from inventory.db.engine import session_scope
    from inventory.lab.demo import run_demo
    from inventory.services.summary import estate_summary

    bulk_process(ctx)
    with cli_errors():
        settings = state(ctx).settings
        engine = open_database(ctx, upgrade=True)
        with progress_bar(as_json, "应答 responding {task.fields[responding]}") as bar:
            task = bar.add_task("发现扫描 discovery scan of the lab", total=None, responding=0)

            def advance(progress: ScanProgress) -> None:
                bar.update(
                    task,
                    total=progress.total,
                    completed=progress.probed,
                    responding=progress.responding,
                )

            report = run_demo(engine, settings, advance, timeout, retries)
        with session_scope(engine) as session:
            result = estate_summary(session, settings.stale_after_days)
    if as_json:
        print_json({**report.as_dict(), "summary": result.as_dict()})
        return
    where = engine.url.render_as_string(hide_password=True)
    console.print(
        ("loaded the sample ledger into " if report.sample_loaded else "sample ledger already in ")
        + where,
        markup=False,
    )
    print_discovery(console, report)
    print_summary(console, result)


@app.command("sample")
def sample(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Load the bundled sample ledger of one city (no discovery), once."""
    from inventory.db.engine import session_scope
    from inventory.sample.estate import load_sample
    from inventory.services.context import Actor

    bulk_process(ctx)
    with cli_errors():
        engine = open_database(ctx, upgrade=True)
        with session_scope(engine) as session:
            report = load_sample(session, Actor("system:sample"))
    if as_json:
        print_json({"loaded": report.loaded, "assets": report.assets, "staff": report.staff})
    else:
        console.print("loaded" if report.loaded else "already loaded", markup=False)


@audit_app.command("list")
def audit_list(
    ctx: typer.Context,
    object_id: Annotated[
        str | None,
        typer.Option(
            "--object",
            help="Short uid, asset tag or name, department code, login, or TYPE:ID (user:3).",
        ),
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Only this actor.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    as_json: JsonOption = False,
) -> None:
    """The newest audit events, times in the configured time zone."""
    from rich.table import Table

    from inventory.db.engine import session_scope
    from inventory.domain.localtime import local_text
    from inventory.services.audit_search import AuditQuery, resolve_object, search

    with cli_errors():
        zone = state(ctx).settings.time_zone
        engine = open_database(ctx)
        with session_scope(engine) as session:
            objects = resolve_object(session, object_id) if object_id else None
            if objects == ():
                raise ValueError(f"no object is called {object_id!r}; try TYPE:ID (asset:<uid>)")
            _, events = search(session, AuditQuery(objects=objects, actor=actor), 1, limit)
    if as_json:
        print_json([e.model_dump(mode="json") for e in events])
        return
    table = Table(title=both("audit"))
    for key in ("when", "who", "action", "object", "changes", "reason"):
        table.add_column(both(key), overflow="fold")
    for event in events:
        change = ", ".join(
            f"{k}: {(event.before or {}).get(k)!r}→{v!r}" for k, v in (event.after or {}).items()
        )
        table.add_row(
            local_text(event.occurred_at, zone),
            event.actor,
            event.action,
            f"{event.object_type} {event.object_id}",
            change[:200],
            event.reason or "",
        )
    console.print(table, markup=False)


@audit_app.command("purge")
def audit_purge(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Delete audit events past the retention period (never younger ones)."""
    from inventory.db.engine import session_scope
    from inventory.services import audit as audit_service
    from inventory.services.context import Actor

    with cli_errors():
        settings = state(ctx).settings
        engine = open_database(ctx)
        with session_scope(engine) as session:
            actor = Actor.cli()
            audit_service.set_retention(session, actor, settings.audit_retention_days)
            purged = audit_service.purge_expired(session, actor)
    if as_json:
        print_json({"purged": purged, "retention_days": settings.audit_retention_days})
    else:
        console.print(
            f"purged {purged} audit events older than {settings.audit_retention_days} days"
        )


@settings_app.command("show")
def settings_show(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The effective settings (explicit > environment > config file > default)."""
    import sqlalchemy as sa

    with cli_errors():
        settings = state(ctx).settings
        values = settings.model_dump(mode="json")
        values["database_url"] = sa.make_url(settings.resolved_database_url).render_as_string(
            hide_password=True
        )
        values["secret_key_file"] = str(settings.resolved_secret_key_file)
    if as_json:
        print_json(values)
    else:
        for name, value in values.items():
            console.print(f"{name} = {value}", markup=False)
