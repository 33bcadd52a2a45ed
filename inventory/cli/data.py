"""`inventory import` and `inventory export`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from inventory.cli.common import (
    bulk_process,
    cli_errors,
    console,
    open_database,
    print_json,
    progress_bar,
    state,
)
from inventory.domain.labels import both
from inventory.interchange.columns import KINDS

if TYPE_CHECKING:
    from inventory.interchange.importer import ImportReport

KindOption = Annotated[str, typer.Option("--kind", "-k", help=f"One of: {', '.join(KINDS)}.")]
MAX_ERRORS_SHOWN = 50


def import_command(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="A .csv (UTF-8 or GB18030) or .xlsx file.",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
    kind: KindOption,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and report; write nothing.")
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="Write the good rows; save the bad ones beside FILE."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a machine-readable report.")
    ] = False,
) -> None:
    """Import departments, assets or staff. Any bad row means nothing is written."""
    from inventory.db.engine import session_scope
    from inventory.interchange.importer import import_file
    from inventory.interchange.tables import Limits
    from inventory.services.context import Actor

    bulk_process(ctx)
    with cli_errors():
        settings = state(ctx).settings
        engine = open_database(ctx)
        with progress_bar(as_json) as bar:
            task = bar.add_task(f"导入 importing {file.name}", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            with session_scope(engine) as session:
                report = import_file(
                    session,
                    Actor.cli(),
                    file,
                    kind,
                    dry_run=dry_run,
                    skip_invalid=skip_invalid,
                    progress=advance,
                    limits=Limits(settings.import_max_rows, settings.import_max_cells),
                )
    if as_json:
        print_json(report.as_dict())
    else:
        _print_report(report)
    if report.errors and not skip_invalid:
        raise typer.Exit(1)


def _print_report(report: ImportReport) -> None:
    from rich.table import Table

    if report.errors:
        table = Table(title=both("rows_rejected", count=len({e.line for e in report.errors})))
        for key in ("line", "column", "reason"):
            table.add_column(both(key))
        for error in report.errors[:MAX_ERRORS_SHOWN]:
            table.add_row(str(error.line), error.column, error.reason)
        console.print(table)
        if len(report.errors) > MAX_ERRORS_SHOWN:
            console.print(f"… {len(report.errors) - MAX_ERRORS_SHOWN} more (use --json for all)")
    if report.rejected_file:
        console.print(f"rejected rows saved to {report.rejected_file}")
    if report.written:
        console.print(
            f"[green]已导入 imported[/] {report.valid}/{report.total} rows: {report.counts}"
        )
    elif report.dry_run and not report.errors:
        console.print(f"[yellow]dry run[/]: {report.valid} rows valid; would do {report.counts}")
    else:
        console.print("[red]nothing was written[/] 未写入任何数据")


def export_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Target .csv or .xlsx file.", dir_okay=False)],
    kind: KindOption,
    lang: Annotated[str, typer.Option(help="Header and value language: zh or en.")] = "zh",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a machine-readable result.")
    ] = False,
) -> None:
    """Export departments, assets or staff; the importer reads the file back unchanged."""
    from inventory.db.engine import session_scope
    from inventory.interchange.exporter import export_file

    with cli_errors():
        if lang not in ("zh", "en"):
            raise ValueError("--lang must be zh or en")
        engine = open_database(ctx)
        with session_scope(engine) as session:
            count = export_file(session, file, kind, lang)
    if as_json:
        print_json({"kind": kind, "path": str(file), "rows": count})
    else:
        console.print(f"已导出 exported {count} {kind} to {file}")
