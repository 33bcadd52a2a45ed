"""Bulk upsert: the same estate twice creates nothing; moved machines stay one asset."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from inventory.models import Asset, AssetAddress, AuditEvent, ReviewItem, StateTransition
from inventory.services.asset_input import AssetIn
from inventory.services.context import Actor
from inventory.services.upsert import UnknownDepartmentError, upsert_assets

UUID_A = "4c4c4544-0042-3510-8052-b4c04f4b4e32"
UUID_B = "30373237-3132-4e43-3736-32323034324a"


def estate(n: int = 20) -> list[AssetIn]:
    return [
        AssetIn(
            name=f"srv{i}",
            serial_number=f"2102311{i:07d}",
            addresses=[f"10.1.0.{i + 1}"],
            macs=[f"00:16:3e:00:00:{i:02x}"],
        )
        for i in range(n)
    ]


def count(session: Session, model: type) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def test_upserting_the_same_estate_twice_leaves_the_number_of_assets_unchanged(
    session: Session, actor: Actor
) -> None:
    first = upsert_assets(session, actor, estate(), "scan 1")
    events = count(session, AuditEvent)
    second = upsert_assets(session, actor, estate(), "scan 2")
    assert first.counts["created"] == 20
    assert second.counts == {"created": 0, "updated": 0, "unchanged": 20, "conflicts": 0}
    assert count(session, Asset) == 20
    assert count(session, AuditEvent) == events, "a no-op upsert writes no audit events"


def test_a_machine_at_a_new_address_is_updated_not_added(session: Session, actor: Actor) -> None:
    upsert_assets(
        session, actor, [AssetIn(serial_number="SN-MOVED", addresses=["10.1.0.5"])], "scan"
    )
    result = upsert_assets(
        session, actor, [AssetIn(serial_number="SN-MOVED", addresses=["10.9.9.9"])], "scan"
    )
    asset = session.exec(select(Asset)).one()
    assert result.counts["updated"] == 1
    assert count(session, Asset) == 1
    assert asset.primary_address == "10.9.9.9"
    assert set(session.exec(select(AssetAddress.address)).all()) == {"10.1.0.5", "10.9.9.9"}


def test_the_same_address_is_not_the_same_machine(session: Session, actor: Actor) -> None:
    upsert_assets(session, actor, [AssetIn(serial_number="SN-1", addresses=["10.1.0.5"])], "scan")
    upsert_assets(session, actor, [AssetIn(serial_number="SN-2", addresses=["10.1.0.5"])], "scan")
    assert count(session, Asset) == 2


def test_placeholder_serials_create_separate_assets_not_one_merged_one(
    session: Session, actor: Actor
) -> None:
    rows = [
        AssetIn(serial_number="To be filled by O.E.M.", system_uuid=u) for u in (UUID_A, UUID_B)
    ]
    upsert_assets(session, actor, rows, "scan")
    assert count(session, Asset) == 2
    assert session.exec(select(Asset.serial_number)).all() == [None, None]


def test_conflicting_evidence_goes_to_review_instead_of_a_silent_merge(
    session: Session, actor: Actor
) -> None:
    upsert_assets(
        session,
        actor,
        [
            AssetIn(serial_number="SN-1", system_uuid=UUID_A),
            AssetIn(serial_number="SN-2", system_uuid=UUID_B),
        ],
        "scan",
    )
    result = upsert_assets(
        session, actor, [AssetIn(serial_number="SN-1", system_uuid=UUID_B)], "scan"
    )
    assert result.counts["conflicts"] == 1
    assert count(session, Asset) == 2
    review = session.exec(select(ReviewItem)).one()
    assert review.status == "open"
    assert sorted(review.candidate_ids) == [1, 2]
    assert review.observation["serial_number"] == "SN-1"


def test_rows_of_one_batch_for_the_same_machine_make_one_asset(
    session: Session, actor: Actor
) -> None:
    result = upsert_assets(
        session,
        actor,
        [AssetIn(serial_number="SN-1", name="a"), AssetIn(serial_number="SN-1", vendor="Huawei")],
        "scan",
    )
    asset = session.exec(select(Asset)).one()
    assert result.counts["created"] == 1
    assert (asset.name, asset.vendor) == ("a", "Huawei")


def test_none_never_clears_a_known_value(session: Session, actor: Actor) -> None:
    upsert_assets(session, actor, [AssetIn(serial_number="SN-1", vendor="Inspur")], "import")
    upsert_assets(session, actor, [AssetIn(serial_number="SN-1")], "scan")
    assert session.exec(select(Asset.vendor)).one() == "Inspur"


def test_p2_a_mode_set_by_import_is_recorded_as_a_decision(session: Session, actor: Actor) -> None:
    upsert_assets(
        session, actor, [AssetIn(serial_number="SN-1", mode="managed")], "import 台账.xlsx"
    )
    step = session.exec(select(StateTransition)).one()
    assert (step.machine, step.from_state, step.to_state, step.reason) == (
        "mode",
        None,
        "managed",
        "import 台账.xlsx",
    )


def test_p1_a_classified_row_with_a_migration_mode_is_invalid() -> None:
    with pytest.raises(ValueError, match="P1"):
        AssetIn(serial_number="SN-1", is_classified=True, mode="cloud")


def test_an_unknown_department_is_refused(session: Session, actor: Actor) -> None:
    with pytest.raises(UnknownDepartmentError, match="NOPE"):
        upsert_assets(session, actor, [AssetIn(serial_number="SN-1", department_code="NOPE")], "x")


def test_every_change_is_audited_with_before_and_after(session: Session, actor: Actor) -> None:
    upsert_assets(session, actor, [AssetIn(serial_number="SN-1", name="old")], "scan")
    upsert_assets(session, actor, [AssetIn(serial_number="SN-1", name="new")], "scan")
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "asset.update")).one()
    assert event.before == {"name": "old"}
    assert event.after == {"name": "new"}
