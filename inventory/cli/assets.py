"""`inventory asset list|show|mode`: the ledger as the pages show it, in a terminal.

Filters take what people type: a department's code in any case or its name, a
mode's value or its label (上云集中); a value that is no known code is an
error that says so, never an empty list. Heavy imports stay inside the
commands so `inventory --help` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from inventory.cli.common import cli_errors, console, open_database, print_json, state

if TYPE_CHECKING:
    from sqlmodel import Session

    from inventory.models import Asset

asset_app = typer.Typer(help="Assets: list, show, decide the mode.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
# The list's columns, by their words in the label catalogue.
ASSET_LIST_COLUMNS = ("uid", "asset_tag", "name", "department", "address", "mode", "status")
KeyArgument = Annotated[str, typer.Argument(help="uid, short uid (8+), asset tag or name")]


def department_code(session: Session, text: str) -> str:
    """The code of the department `text` names (code in any case, or name); else an error."""
    import sqlalchemy as sa
    from sqlmodel import col, select

    from inventory.models import Department

    cleaned = text.strip()
    found = session.exec(
        select(Department.code).where(
            sa.or_(
                sa.func.lower(col(Department.code)) == cleaned.lower(),
                col(Department.name) == cleaned,
                col(Department.name_en) == cleaned,
            )
        )
    ).first()
    if found is None:
        known = ", ".join(session.exec(select(Department.code).order_by(col(Department.code))))
        raise ValueError(f"no department {cleaned!r} (a code or a name); known codes: {known}")
    return found


def find_asset(session: Session, key: str) -> Asset:
    """The one asset `key` names: uid, uid prefix, asset tag or name; else a clear error."""
    import sqlalchemy as sa
    from sqlmodel import col, select

    from inventory.models import Asset

    found = session.exec(
        select(Asset).where(
            sa.or_(
                col(Asset.uid).startswith(key.lower()),
                col(Asset.asset_tag) == key,
                col(Asset.name) == key,
            )
        )
    ).all()
    if len(found) != 1:
        raise ValueError(f"{key!r} matches {len(found)} assets; give the full uid or asset tag")
    return found[0]


@asset_app.command("list")
def asset_list(
    ctx: typer.Context,
    department: Annotated[str | None, typer.Option(help="Department code or name.")] = None,
    mode: Annotated[str | None, typer.Option(help="A mode: cloud or 上云集中, ...")] = None,
    status: Annotated[str | None, typer.Option(help="A status: in_use or 在用, ...")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    as_json: JsonOption = False,
) -> None:
    """List assets by name, with the total that match."""
    from inventory.db.engine import session_scope
    from inventory.domain.choices import LifecycleStatus, Mode
    from inventory.domain.labels import both, label, parse_choice
    from inventory.services.queries import AssetFilter, PageRequest, asset_page

    with cli_errors():
        engine = open_database(ctx)
        with session_scope(engine) as session:
            criteria = AssetFilter(
                department=department_code(session, department) if department else None,
                mode=Mode(parse_choice(Mode, mode)) if mode else None,
                status=LifecycleStatus(parse_choice(LifecycleStatus, status)) if status else None,
            )
            page = asset_page(session, criteria, PageRequest(1, limit, "name"), None)
    if as_json:
        print_json({"total": page.total, "items": page.items})
        return
    from inventory.cli.common import print_table

    print_table(
        f"{both('assets')}: {len(page.items)} / {both('total', count=page.total)}",
        tuple(both(key) for key in ASSET_LIST_COLUMNS),
        (
            (
                a["uid"][:8],
                a["asset_tag"],
                a["name"],
                a["department_name"],
                a["primary_address"],
                label(a["mode"]),
                label(a["lifecycle_status"]),
            )
            for a in page.items
        ),
    )


@asset_app.command("show")
def asset_show(ctx: typer.Context, key: KeyArgument, as_json: JsonOption = False) -> None:
    """One asset as its page shows it: ledger, hardware, evidence, migration, history."""
    from inventory.cli.asset_view import asset_sections, print_sections
    from inventory.db.engine import session_scope

    with cli_errors():
        engine = open_database(ctx)
        with session_scope(engine) as session:
            asset = find_asset(session, key)
            sections = asset_sections(session, asset, state(ctx).settings.time_zone)
            values: dict[str, Any] = asset.model_dump(mode="json")
    if as_json:
        print_json(values)
        return
    print_sections(console, sections)


@asset_app.command("mode")
def asset_mode(
    ctx: typer.Context,
    key: KeyArgument,
    mode: Annotated[str, typer.Argument(help="The bureau's decision: cloud or 上云集中, ...")],
    reason: Annotated[str, typer.Option(help="Why (recorded with who and when, P2).")],
    version: Annotated[
        int | None, typer.Option(help="Refuse if the asset is no longer at this version.")
    ] = None,
) -> None:
    """Record the bureau's mode decision for an asset (P2)."""
    from inventory.db.engine import session_scope
    from inventory.domain.choices import Mode
    from inventory.domain.labels import label, parse_choice
    from inventory.services import lifecycle
    from inventory.services.context import Actor

    with cli_errors():
        decided = Mode(parse_choice(Mode, mode))
        engine = open_database(ctx)
        with session_scope(engine) as session:
            asset = find_asset(session, key)
            lifecycle.decide_mode(session, Actor.cli(), asset.id, decided, reason, version)  # type: ignore[arg-type]
            console.print(
                f"{asset.uid}: {label(asset.mode)} ({asset.mode}), version {asset.version}",
                markup=False,
            )
