"""`inventory audit verify`: re-hash the audit chain and name the first broken link."""

from __future__ import annotations

from typing import Annotated

import typer

from inventory.cli.common import cli_errors, console, errors, open_database, print_json


def verify_command(
    ctx: typer.Context,
    print_head: Annotated[
        bool,
        typer.Option(
            "--print-head",
            help="Print only the head hash, to be noted outside the database "
            "(the chain proves nothing against its owner unless the head is kept elsewhere).",
        ),
    ] = False,
    noted: Annotated[
        str | None,
        typer.Option(
            "--noted",
            help="A head printed earlier (--print-head): fail unless it is still on the chain.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Check that no audit event was changed, forged or removed (exit 1 if one was)."""
    from inventory.services.audit_chain import Verdict, holds, verify

    with cli_errors():
        engine = open_database(ctx)
        with engine.connect() as connection:
            verdict = verify(connection)
            if verdict.ok and noted and not holds(connection, noted.strip()):
                problem = (
                    f"the noted head {noted.strip()} is no longer on the chain: "
                    "the trail was rewritten since it was noted"
                )
                verdict = Verdict(verdict.checked, verdict.head_hash, None, problem)
    if as_json:
        print_json(
            {
                "ok": verdict.ok,
                "checked": verdict.checked,
                "head": verdict.head_hash,
                "broken_event": verdict.broken_id,
                "problem": verdict.problem,
            }
        )
    elif print_head and verdict.ok:
        console.print(verdict.head_hash, highlight=False)
    elif verdict.ok:
        console.print(
            f"audit chain intact: {verdict.checked} events; head {verdict.head_hash}",
            highlight=False,
        )
    else:
        errors.print(f"audit chain BROKEN: {verdict.problem}", highlight=False, markup=False)
    if not verdict.ok:
        raise typer.Exit(1)
