"""An asset as its detail page reads, for `inventory asset show`: sections in the page's order.

Department by name, addresses, migration and history included; times in the
configured local time zone, to the second. Values a device sent are printed as
text, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from sqlmodel import Session

    from inventory.models import Asset


@dataclass
class Section:
    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, ...]] = field(default_factory=list)  # a table (history, migration)
    headers: tuple[str, ...] = ()


def _text(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)


def _state_label(mode: Any, state: str) -> str:
    """A migration state in the catalogue's words, read through its mode's lifecycle."""
    from inventory.domain.labels import label
    from inventory.domain.lifecycles import MIGRATION_MACHINES

    machine = MIGRATION_MACHINES.get(mode)
    return label(machine.coerce(state)) if machine is not None else state


def asset_sections(session: Session, asset: Asset, zone: str) -> list[Section]:
    """The detail page's sections: ledger, hardware, evidence, migration, history."""
    from sqlmodel import col, select

    from inventory.domain.labels import both, label
    from inventory.domain.localtime import local_text
    from inventory.models import AssetAddress, AssetMac, Department, MachineRoom, MigrationRecord
    from inventory.services.queries import asset_history

    department = session.get(Department, asset.department_id) if asset.department_id else None
    room = session.get(MachineRoom, asset.machine_room_id) if asset.machine_room_id else None
    addresses = session.exec(
        select(AssetAddress.address).where(AssetAddress.asset_id == asset.id)
    ).all()
    macs = session.exec(select(AssetMac.mac).where(AssetMac.asset_id == asset.id)).all()
    ledger = Section(
        both("ledger"),
        [
            (both("name"), _text(asset.name)),
            (both("department"), f"{department.name} ({department.code})" if department else "—"),
            (both("machine_room"), f"{room.name} ({room.code})" if room else "—"),
            (both("mode"), f"{label(asset.mode)} ({asset.mode})"),
            (both("status"), f"{label(asset.lifecycle_status)} ({asset.lifecycle_status})"),
            (both("asset_tag"), _text(asset.asset_tag)),
            (both("location"), _text(asset.location)),
            (both("purpose"), _text(asset.purpose)),
            (both("first_seen"), local_text(asset.first_seen, zone)),
            (both("last_seen"), local_text(asset.last_seen, zone)),
            (both("uid"), asset.uid),
            (both("version"), str(asset.version)),
        ],
    )
    hardware = Section(
        both("hardware"),
        [
            (both("device_class"), f"{label(asset.device_class)} ({asset.device_class})"),
            (both("vendor"), _text(asset.vendor)),
            (both("model"), _text(asset.model)),
            (both("os"), _text(" ".join(v for v in (asset.os_name, asset.os_version) if v))),
            (both("cpu"), _text(asset.cpu_count)),
            (both("description"), _text(asset.description)),  # sysDescr, as the page
            (both("memory_mb"), _text(asset.memory_mb)),
        ],
    )
    evidence = Section(
        both("evidence"),
        [
            (both("serial_number"), _text(asset.serial_number)),
            (both("system_uuid"), _text(asset.system_uuid)),
            (both("addresses"), ", ".join(addresses) or "—"),
            (both("macs"), ", ".join(macs) or "—"),
        ],
    )
    migration = Section(
        both("migration"),
        headers=tuple(both(k) for k in ("mode", "state", "planned", "cut_over", "verified")),
        rows=[
            (
                label(r.mode),
                _state_label(r.mode, r.state),
                _text(r.planned_date),
                local_text(r.cutover_at, zone),
                local_text(r.verified_at, zone),
            )
            for r in session.exec(
                select(MigrationRecord)
                .where(MigrationRecord.asset_id == asset.id)
                .order_by(col(MigrationRecord.id))
            )
        ],
    )
    history = Section(
        both("history"),
        headers=tuple(both(k) for k in ("when", "who", "action", "reason")),
        rows=[
            (local_text(h["occurred_at"], zone), h["actor"], h["action"], h["reason"] or "")
            for h in asset_history(session, asset.uid, limit=20)
        ],
    )
    return [ledger, hardware, evidence, migration, history]


def print_sections(console: Console, sections: list[Section]) -> None:
    """Each section under its title: fields as a two-column table, rows as a table."""
    from rich.table import Table

    for section in sections:
        table = Table(title=section.title, title_justify="left", show_header=bool(section.headers))
        if section.headers:
            for header in section.headers:
                table.add_column(header, overflow="fold")
            for row in section.rows or [("—",) + ("",) * (len(section.headers) - 1)]:
                table.add_row(*row)
        else:
            table.add_column("")
            table.add_column("", overflow="fold")
            for name, value in section.fields:
                table.add_row(name, value)
        console.print(table, markup=False)
