"""Small builders for test data, through the real service functions."""

from __future__ import annotations

from itertools import count
from typing import Any

from sqlmodel import Session, select

from inventory.models import Asset, Department, Staff, StaffAssignment
from inventory.services import records
from inventory.services.asset_input import AssetIn
from inventory.services.context import Actor
from inventory.services.upsert import upsert_assets


def department(session: Session, actor: Actor, code: str = "D1", **values: Any) -> Department:
    return records.create(
        session, actor, Department(code=code, name=values.pop("name", f"部门{code}"), **values)
    )


# A serial per asset for the whole run: a serial is identity evidence, so two
# assets that shared one would be merged into one by the upsert.
_serials = count(1)


def asset(session: Session, actor: Actor, **values: Any) -> Asset:
    values.setdefault("serial_number", f"SN-FACTORY-{next(_serials):06d}")
    result = upsert_assets(session, actor, [AssetIn(**values)], "test")
    uid = (result.created or result.updated or result.unchanged)[0]
    return session.exec(select(Asset).where(Asset.uid == uid)).one()


def staff(
    session: Session,
    actor: Actor,
    department_id: int,
    staff_no: str = "S1",
    maintains: list[Asset] | None = None,
) -> Staff:
    person = records.create(
        session, actor, Staff(staff_no=staff_no, name="王伟", department_id=department_id)
    )
    for item in maintains or []:
        records.create(session, actor, StaffAssignment(staff_id=person.id, asset_id=item.id))
    return person
