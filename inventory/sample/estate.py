"""Generate and load the sample estate of one prefecture-level city.

Deterministic (seeded), so the demo and the tests see the same estate. Every
write goes through the service layer: audited, checked by the policy guards.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from inventory.domain.choices import (
    BatchStatus,
    DeviceClass,
    DisposalRoute,
    LifecycleStatus,
    MachineRoomKind,
    MachineRoomStatus,
    Mode,
    SanitisationMethod,
    WaveStatus,
)
from inventory.domain.errors import DomainError
from inventory.models import (
    Asset,
    Department,
    Disposal,
    MachineRoom,
    MigrationWave,
    Staff,
    StaffAssignment,
    TransferBatch,
)
from inventory.models.base import pk
from inventory.sample.tables import (
    DEPARTMENTS,
    GIVEN,
    HARDWARE,
    OPERATING_SYSTEMS,
    PURPOSES,
    SURNAMES,
)
from inventory.services import lifecycle, records
from inventory.services.asset_input import AssetIn
from inventory.services.context import Actor
from inventory.services.upsert import upsert_assets

SEED = 20261122
SAMPLE_MARKER = "D-JYJ"


@dataclass
class SampleReport:
    loaded: bool
    departments: int = 0
    assets: int = 0
    staff: int = 0


def already_loaded(session: Session) -> bool:
    return (
        session.exec(select(Department).where(Department.code == SAMPLE_MARKER)).first() is not None
    )


def sample_rows(rng: random.Random) -> list[AssetIn]:
    """The assets of the sample estate, as import rows."""
    rows: list[AssetIn] = []
    for number, (code, _name, _en, classified, _law, count) in enumerate(DEPARTMENTS, start=1):
        for index in range(count):
            vendor, model, pattern, device_class = rng.choice(HARDWARE)
            os_name, os_version = rng.choice(OPERATING_SYSTEMS)
            purchased = date(2012, 1, 1) + timedelta(days=rng.randrange(0, 365 * 11))
            serial = pattern.format(rng.randrange(10**6, 10**7))
            is_server = device_class in (DeviceClass.SERVER, DeviceClass.VIRTUAL_MACHINE)
            role = "srv" if is_server else device_class.value[:3]
            rows.append(
                AssetIn(
                    name=f"{code.lower().removeprefix('d-')}-{role}-{index + 1:02d}",
                    department_code=code,
                    asset_tag=f"ZC{purchased.year}{number:02d}{index + 1:04d}",
                    serial_number=serial,
                    system_uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4))
                    if is_server
                    else None,
                    macs=[
                        ":".join(
                            f"{rng.randrange(256) & 0xFC if i == 0 else rng.randrange(256):02x}"
                            for i in range(6)
                        )
                    ],
                    addresses=[f"10.{20 + number}.{index // 200}.{10 + index % 200}"],
                    device_class=device_class,
                    vendor=vendor,
                    model=model,
                    cpu_count=rng.choice((16, 24, 32, 48, 64)) if is_server else None,
                    memory_mb=rng.choice((32768, 65536, 131072, 262144)) if is_server else None,
                    disk_total_gb=rng.choice((600, 1200, 2400, 4800)) if is_server else None,
                    os_name=os_name if is_server else None,
                    os_version=os_version if is_server else None,
                    is_virtual=device_class is DeviceClass.VIRTUAL_MACHINE,
                    location=f"{_name}机房 {rng.randrange(1, 6)}号机柜",
                    purpose=rng.choice(PURPOSES),
                    purchase_date=purchased,
                    purchase_value=Decimal(rng.randrange(25, 180) * 1000),
                    useful_life_years=6,
                    is_classified=classified,
                    mode=Mode.EXEMPT if classified else None,
                    lifecycle_status=rng.choices(
                        (LifecycleStatus.ACTIVE, LifecycleStatus.IDLE, LifecycleStatus.OFFLINE),
                        weights=(80, 15, 5),
                    )[0],
                    monitoring_enabled=rng.random() < 0.5,
                )
            )
    return rows


def load_sample(session: Session, actor: Actor, seed: int = SEED) -> SampleReport:
    """Load the sample estate once; a second call changes nothing."""
    if already_loaded(session):
        return SampleReport(loaded=False)
    rng = random.Random(seed)  # noqa: S311 (reproducible sample data, not secrets)
    reason = "sample estate"
    departments = {}
    for code, name, english, classified, law, _count in DEPARTMENTS:
        departments[code] = records.create(
            session,
            actor,
            Department(
                code=code,
                name=name,
                name_en=english,
                is_classified_unit=classified,
                is_law_enforcement=law,
            ),
            reason,
        )
    _rooms(session, actor, departments, reason)
    upsert_assets(session, actor, sample_rows(rng), reason)
    assets = list(session.exec(select(Asset).order_by(col(Asset.id))).all())
    staff = _staff(session, actor, rng, departments, assets, reason)
    _decisions(session, actor, rng, assets, reason)
    _transfers(session, actor, staff, reason)
    _disposals(session, actor, rng, assets, reason)
    return SampleReport(
        loaded=True, departments=len(departments), assets=len(assets), staff=len(staff)
    )


def _rooms(session: Session, actor: Actor, departments: dict[str, Department], reason: str) -> None:
    for position, (code, department) in enumerate(departments.items()):
        emptied = position < 3
        records.create(
            session,
            actor,
            MachineRoom(
                code=f"R-{code}",
                name=f"{department.name}机房",
                kind=MachineRoomKind.DEPARTMENT_ROOM,
                department_id=pk(department),
                status=MachineRoomStatus.EMPTIED if emptied else MachineRoomStatus.IN_USE,
            ),
            reason,
        )
    records.create(
        session,
        actor,
        MachineRoom(code="R-ZWY", name="市政务云", kind=MachineRoomKind.GOVERNMENT_CLOUD),
        reason,
    )
    records.create(
        session,
        actor,
        MachineRoom(
            code="R-TG1",
            name="市大数据中心托管机房",
            kind=MachineRoomKind.COLOCATION,
            networks=["10.200.0.0/16"],
        ),
        reason,
    )


def _staff(
    session: Session,
    actor: Actor,
    rng: random.Random,
    departments: dict[str, Department],
    assets: list[Asset],
    reason: str,
) -> list[Staff]:
    staff: list[Staff] = []
    by_department: dict[int | None, list[Asset]] = {}
    for asset in assets:
        by_department.setdefault(asset.department_id, []).append(asset)
    for number, department in enumerate(departments.values(), start=1):
        for index in range(2):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", *GIVEN))
            person = records.create(
                session,
                actor,
                Staff(
                    staff_no=f"G{number:02d}{index + 1:03d}",
                    name=name,
                    department_id=pk(department),
                    title=rng.choice(("系统管理员", "网络管理员", "运维工程师")),
                    skills="Linux, 网络",
                ),
                reason,
            )
            staff.append(person)
            owned = by_department.get(pk(department), [])
            for asset in owned[index::2]:
                records.create(
                    session, actor, StaffAssignment(staff_id=pk(person), asset_id=pk(asset)), reason
                )
    return staff


def _decisions(
    session: Session, actor: Actor, rng: random.Random, assets: list[Asset], reason: str
) -> None:
    wave = records.create(
        session,
        actor,
        MigrationWave(
            code="W2026-1",
            name="2026年第一批上云",
            mode=Mode.CLOUD,
            status=WaveStatus.IN_PROGRESS,
            planned_start=date(2026, 3, 1),
            planned_end=date(2026, 9, 30),
        ),
        reason,
    )
    hosted_wave = records.create(
        session,
        actor,
        MigrationWave(
            code="W2026-H1", name="2026年第一批托管", mode=Mode.HOSTED, status=WaveStatus.PLANNING
        ),
        reason,
    )
    for asset in assets:
        if asset.mode is Mode.EXEMPT:
            continue
        # Network and storage gear does not move to the cloud; it is hosted or managed.
        movable = asset.device_class in (DeviceClass.SERVER, DeviceClass.VIRTUAL_MACHINE)
        mode = rng.choices(
            (Mode.UNDECIDED, Mode.CLOUD, Mode.HOSTED, Mode.MANAGED),
            weights=(20, 45 if movable else 0, 20, 15 if movable else 40),
        )[0]
        if mode is Mode.UNDECIDED:
            continue
        lifecycle.decide_mode(session, actor, pk(asset), mode, "数据局2026年第1次集中方案评审")
        steps = {
            Mode.CLOUD: ["assessed", "planned", "migrating", "cut_over"],
            Mode.HOSTED: ["planned", "relocating"],
            Mode.MANAGED: ["registered", "monitored"],
        }[mode]
        for step in steps[: rng.randrange(0, len(steps) + 1)]:
            details = (
                {"wave_id": (wave if mode is Mode.CLOUD else hosted_wave).id}
                if step == "planned"
                else {}
            )
            try:
                lifecycle.advance_migration(session, actor, pk(asset), step, reason, **details)
            except DomainError:
                break  # a guard said no (ledger gaps, say): the estate keeps it as it is


def _transfers(session: Session, actor: Actor, staff: list[Staff], reason: str) -> None:
    batch = records.create(
        session,
        actor,
        TransferBatch(
            number=1,
            name="第一批集中人员",
            status=BatchStatus.APPROVED,
            approval_doc_no="市数据局〔2026〕12号",
            approved_by="市大数据局",
        ),
        reason,
    )
    for person in staff:
        try:
            lifecycle.set_staff_state(
                session, actor, pk(person), "nominated", reason, batch_id=pk(batch)
            )
        except DomainError:
            lifecycle.set_staff_state(
                session,
                actor,
                pk(person),
                "excluded",
                "维护涉密或公检法服务器 (P5)",
            )
    for person in staff[::3]:
        if person.state == "nominated":
            lifecycle.set_staff_state(session, actor, pk(person), "transferred", reason)


def _disposals(
    session: Session, actor: Actor, rng: random.Random, assets: list[Asset], reason: str
) -> None:
    idle = [
        a
        for a in assets
        if a.lifecycle_status is LifecycleStatus.IDLE and a.mode is not Mode.EXEMPT
    ]
    for position, asset in enumerate(idle[:12]):
        route = (
            DisposalRoute.WRITE_OFF
            if asset.purchase_date and asset.purchase_date.year < 2017
            else DisposalRoute.WAREHOUSE
        )
        disposal = records.create(
            session,
            actor,
            Disposal(
                asset_id=pk(asset),
                route=route,
                reason="闲置设备处置",
                book_value=Decimal(rng.randrange(0, 20000)),
            ),
            reason,
        )
        if position % 3 == 0:
            continue
        lifecycle.advance_disposal(
            session,
            actor,
            pk(disposal),
            "approved",
            reason,
            approval_doc_no=f"财资〔2026〕{40 + position}号",
        )
        if position % 3 == 1:
            continue
        lifecycle.advance_disposal(
            session,
            actor,
            pk(disposal),
            "sanitised",
            reason,
            sanitisation_method=SanitisationMethod.PURGE,
            sanitisation_operator="张伟",
            sanitisation_verifier="李娜",
            sanitised_on=date(2026, 10, 15),
            sanitisation_certificate_no=f"QC-2026-{position:04d}",
        )
