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


def asset_sections(session: Session, asset: Asset, zone: str) -> list[Section]:
    """The detail page's sections: ledger, hardware, evidence, migration, history."""
    from sqlmodel import col, select

    from inventory.domain.labels import label
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
        "台账信息 ledger",
        [
            ("名称 name", _text(asset.name)),
            ("部门 department", f"{department.name} ({department.code})" if department else "—"),
            ("机房 machine room", f"{room.name} ({room.code})" if room else "—"),
            ("集中方式 mode", f"{label(asset.mode)} ({asset.mode})"),
            ("状态 status", f"{label(asset.lifecycle_status)} ({asset.lifecycle_status})"),
            ("资产编号 asset tag", _text(asset.asset_tag)),
            ("位置 location", _text(asset.location)),
            ("用途 purpose", _text(asset.purpose)),
            ("首次发现 first seen", local_text(asset.first_seen, zone)),
            ("最近发现 last seen", local_text(asset.last_seen, zone)),
            ("系统编号 uid", asset.uid),
            ("版本 version", str(asset.version)),
        ],
    )
    hardware = Section(
        "硬件与系统 hardware and OS",
        [
            ("设备类型 device class", f"{label(asset.device_class)} ({asset.device_class})"),
            ("厂商 vendor", _text(asset.vendor)),
            ("型号 model", _text(asset.model)),
            ("操作系统 OS", _text(" ".join(v for v in (asset.os_name, asset.os_version) if v))),
            ("CPU", _text(asset.cpu_count)),
            ("内存 memory (MB)", _text(asset.memory_mb)),
        ],
    )
    evidence = Section(
        "身份证据 identity evidence",
        [
            ("序列号 serial number", _text(asset.serial_number)),
            ("系统 UUID", _text(asset.system_uuid)),
            ("地址 addresses", ", ".join(addresses) or "—"),
            ("MAC 地址", ", ".join(macs) or "—"),
        ],
    )
    migration = Section(
        "迁移 migration",
        headers=("集中方式 mode", "状态 state", "计划 planned", "割接 cutover", "验证 verified"),
        rows=[
            (
                label(r.mode),
                r.state,
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
        "变更记录 history",
        headers=("时间 when", "操作人 who", "操作 action", "原因 reason"),
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
