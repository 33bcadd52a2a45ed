"""`inventory scan`, `inventory review …` and `inventory hostkey …`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from inventory.cli.common import (
    bulk_process,
    cli_errors,
    console,
    errors,
    open_database,
    print_json,
    print_table,
    progress_bar,
    state,
)
from inventory.domain import scan_options as so
from inventory.domain.choices import ReviewAction
from inventory.domain.labels import both

if TYPE_CHECKING:
    from inventory.services.discovery import ScanOutcome, ScanProgress

review_app = typer.Typer(help="The review queue (待核查).", no_args_is_help=True)
hostkey_app = typer.Typer(help="SSH host keys: list, approve.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def scan_command(
    ctx: typer.Context,
    targets: Annotated[
        list[str],
        typer.Argument(help="CIDRs, ranges (10.0.0.5-40) and addresses, each with optional :port."),
    ],
    profile: Annotated[
        list[str],
        typer.Option("--profile", "-p", help="Credential profile names, tried in this order."),
    ],
    # Flags, limits, help and defaults all come from inventory.domain.scan_options.
    timeout: Annotated[float, typer.Option(**so.TIMEOUT.flag())] = so.TIMEOUT.default,
    retries: Annotated[int, typer.Option(**so.RETRIES.flag())] = so.RETRIES.default,
    concurrency: Annotated[int, typer.Option(**so.CONCURRENCY.flag())] = so.CONCURRENCY.default,
    rate: Annotated[
        float, typer.Option("--rate", **so.PACKETS_PER_SECOND.flag())
    ] = so.PACKETS_PER_SECOND.default,
    quick: Annotated[bool, typer.Option("--quick", **so.QUICK.flag())] = so.QUICK.default,
    ssh_port: Annotated[int, typer.Option(**so.SSH_PORT.flag())] = so.SSH_PORT.default,
    as_json: JsonOption = False,
) -> None:
    """发现扫描: sweep targets over SNMP and merge what answers into the estate."""
    from inventory.db.engine import session_scope
    from inventory.services import credentials as credential_service
    from inventory.services import discovery
    from inventory.services.context import Actor

    bulk_process(ctx)
    with cli_errors():
        settings = state(ctx).settings
        engine = open_database(ctx)
        options = so.ScanOptions(
            timeout=timeout,
            retries=retries,
            concurrency=concurrency,
            packets_per_second=rate,
            quick=quick,
            ssh_port=ssh_port,
        )
        fernet = credential_service.load_key(settings, create=False)
        with session_scope(engine) as session:
            plan = discovery.plan_with_profiles(
                session, fernet, targets, profile, options, settings.scan_exclusions
            )
        counts = "应答 responding {task.fields[responding]} · 错误 errors {task.fields[errors]}"
        with progress_bar(as_json, counts) as bar:
            task = bar.add_task("扫描 scanning", total=plan.upper_bound, responding=0, errors=0)

            def advance(progress: ScanProgress) -> None:
                bar.update(
                    task,
                    completed=progress.probed,
                    responding=progress.responding,
                    errors=progress.errors,
                )

            outcome = discovery.run_scan(
                engine, Actor.cli(), plan, targets, settings.stale_after_days, advance
            )
    if as_json:
        print_json(outcome.as_dict())  # the same keys after a success, a failure or nothing
    else:
        _print_outcome(outcome, settings.stale_after_days, settings.time_zone)
    if outcome.error:
        errors.print(f"error: scan failed: {outcome.error}", markup=False, highlight=False)
        raise typer.Exit(1)


def _print_outcome(outcome: ScanOutcome, stale_after_days: int, zone: str) -> None:
    from inventory.domain.localtime import local_text

    counts = outcome.as_dict()
    console.print(
        f"scan {outcome.scan_uid} {outcome.status}: probed {counts['probed']}, "
        f"responding {counts['responding']}, errors {counts['errors']}; "
        f"assets created {counts['created']}, "
        f"updated {counts['updated']}, unchanged {counts['unchanged']}, "
        f"to review {counts['conflicts']}",
        markup=False,
    )
    if outcome.zombies:
        console.print(f"僵尸资产 zombies (disposed but answering): {len(outcome.zombies)}")
    if outcome.went_offline:
        console.print(f"离线 not seen for {stale_after_days} days: {len(outcome.went_offline)}")
    _print_target_errors(outcome.target_errors)
    for address, until in outcome.resting.items():  # skipped: failing SSH in a row
        console.print(f"休眠 {address}: resting until {local_text(until, zone)}", markup=False)
    _print_value_errors(outcome.value_errors)


SHOWN_VALUE_ERRORS = 20  # lines; the scan record and --json keep them all
SHOWN_TARGET_ERRORS = 20  # lines, likewise


def _print_target_errors(target_errors: dict[str, str]) -> None:
    """Why a target gave nothing (a tarpit's silent banner, a refused login)."""
    if not target_errors:
        return
    console.print(f"目标错误 target errors on {len(target_errors)} host(s):", markup=False)
    for target, error in list(target_errors.items())[:SHOWN_TARGET_ERRORS]:
        console.print(f"  {target}: {error}", markup=False, highlight=False)  # device text
    if len(target_errors) > SHOWN_TARGET_ERRORS:
        more = len(target_errors) - SHOWN_TARGET_ERRORS
        console.print(f"  … and {more} more: inventory scan --json", markup=False)


def _print_value_errors(value_errors: dict[str, list[str]]) -> None:
    """What answering hosts should have told and did not (no SMBIOS, no disk list)."""
    if not value_errors:
        return
    lines = [f"  {target}: {e}" for target, errors in value_errors.items() for e in errors]
    console.print(f"值错误 value errors on {len(value_errors)} host(s):", markup=False)
    for line in lines[:SHOWN_VALUE_ERRORS]:
        console.print(line, markup=False, highlight=False)  # device text, never markup
    if len(lines) > SHOWN_VALUE_ERRORS:
        console.print(f"  … {len(lines) - SHOWN_VALUE_ERRORS} more: inventory scan --json")


@review_app.command("list")
def review_list(
    ctx: typer.Context,
    all_items: Annotated[bool, typer.Option("--all", help="Include resolved items.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Items waiting for a person: identity conflicts, zombies, host keys."""
    from sqlmodel import col, select

    from inventory.db.engine import session_scope
    from inventory.domain.choices import ReviewStatus
    from inventory.models import ReviewItem

    with cli_errors():
        engine = open_database(ctx)
        with session_scope(engine) as session:
            statement = select(ReviewItem).order_by(col(ReviewItem.id))
            if not all_items:
                statement = statement.where(ReviewItem.status == ReviewStatus.OPEN)
            items = session.exec(statement).all()
    if as_json:
        print_json([item.model_dump(mode="json") for item in items])
        return
    print_table(
        both("reviews"),
        ("id", "kind", "status", "asset", "candidates", "reason"),
        (
            (i.id, i.kind, i.status, i.asset_id, ", ".join(map(str, i.candidate_ids)), i.reason)
            for i in items
        ),
    )


@review_app.command("resolve")
def review_resolve(
    ctx: typer.Context,
    item_id: Annotated[int, typer.Argument(help="Review item id.")],
    action: Annotated[
        ReviewAction,
        typer.Option(help="merge: the observation is the asset; new: a separate asset; dismiss."),
    ],
    reason: Annotated[str, typer.Option(help="Why (recorded in the audit trail).")],
    asset: Annotated[
        int | None, typer.Option(help="With merge: the asset id the observation belongs to.")
    ] = None,
) -> None:
    """Decide a review item; the decision and its effect are audited."""
    from inventory.db.engine import session_scope
    from inventory.services import review
    from inventory.services.context import Actor

    with cli_errors():
        engine = open_database(ctx)
        with session_scope(engine) as session:
            outcome = review.resolve(session, Actor.cli(), item_id, action, reason, asset)
    console.print(outcome, markup=False)


@hostkey_app.command("list")
def hostkey_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Host keys seen by scans, pending ones first."""
    from sqlmodel import col, select

    from inventory.db.engine import session_scope
    from inventory.models import HostKey
    from inventory.services.hostkeys import shown

    with cli_errors():
        engine = open_database(ctx)
        with session_scope(engine) as session:
            keys = session.exec(
                select(HostKey).order_by(col(HostKey.status).desc(), col(HostKey.id))
            ).all()
    if as_json:
        # `fingerprint` as OpenSSH prints it (ssh-keygen -lf); the stored hex stays too.
        print_json(
            [
                {**k.model_dump(mode="json"), "fingerprint": shown(k.fingerprint_sha256)}
                for k in keys
            ]
        )
        return
    print_table(
        both("host_keys"),
        ("id", "address", "type", "fingerprint", "status", "approved by"),
        (
            (
                k.id,
                f"{k.address}:{k.port}",
                k.key_type,
                shown(k.fingerprint_sha256),
                k.status,
                k.approved_by,
            )
            for k in keys
        ),
    )


@hostkey_app.command("approve")
def hostkey_approve(
    ctx: typer.Context,
    key_id: Annotated[int, typer.Argument(help="Host key id (see `hostkey list`).")],
    reason: Annotated[str, typer.Option(help="How the fingerprint was checked.")],
) -> None:
    """Trust a pending host key, after checking its fingerprint out of band."""
    from inventory.db.engine import session_scope
    from inventory.services import hostkeys
    from inventory.services.context import Actor

    with cli_errors():
        engine = open_database(ctx)
        with session_scope(engine) as session:
            key = hostkeys.approve(session, Actor.cli(), key_id, reason)
            shown = f"{key.address}:{key.port} {key.key_type} now trusted"
    console.print(shown, markup=False)
