"""The bundled sample estate: realistic, loaded once, and it obeys the policy rules."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col, select

from inventory.domain.choices import Mode
from inventory.models import Asset, Department, MigrationRecord, Staff, StaffAssignment
from inventory.sample.estate import load_sample
from inventory.sample.tables import DEPARTMENTS
from inventory.services.context import Actor
from inventory.services.summary import estate_summary


def test_loading_twice_changes_nothing(session: Session) -> None:
    actor = Actor("system:sample")
    first = load_sample(session, actor)
    second = load_sample(session, actor)
    assert first.loaded
    assert not second.loaded
    assert first.assets == sum(d[5] for d in DEPARTMENTS) == 300
    assert session.execute(sa.select(sa.func.count()).select_from(Asset)).scalar_one() == 300


def test_p1_classified_servers_are_exempt_and_never_in_a_migration(session: Session) -> None:
    load_sample(session, Actor("system:sample"))
    classified = session.exec(select(Asset).where(Asset.is_classified)).all()
    assert classified
    assert all(asset.mode is Mode.EXEMPT for asset in classified)
    migrating = session.exec(select(MigrationRecord.asset_id)).all()
    assert not {a.id for a in classified} & set(migrating)


def test_p5_no_staff_of_law_enforcement_or_classified_units_is_nominated(session: Session) -> None:
    load_sample(session, Actor("system:sample"))
    excluded_departments = session.exec(
        select(Department.id).where(
            sa.or_(Department.is_law_enforcement, Department.is_classified_unit)
        )
    ).all()
    staff = session.exec(
        select(Staff).where(col(Staff.department_id).in_(excluded_departments))
    ).all()
    assert staff
    assert all(person.state == "excluded" for person in staff)


def test_the_summary_adds_up(session: Session) -> None:
    load_sample(session, Actor("system:sample"))
    summary = estate_summary(session)
    assert summary.total_assets == 300 == summary.in_scope + summary.exempt
    assert sum(sum(modes.values()) for modes in summary.by_department.values()) == 300
    assert summary.departments == len(DEPARTMENTS)
    assert summary.department_rooms_emptied == 3
    assert session.execute(sa.select(sa.func.count()).select_from(StaffAssignment)).scalar_one() > 0
