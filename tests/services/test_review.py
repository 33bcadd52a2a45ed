"""The review queue: a person decides, the decision and its effect are audited."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from inventory.domain.choices import ReviewStatus
from inventory.domain.errors import DomainError
from inventory.models import Asset, AuditEvent, ReviewItem
from inventory.services import review
from inventory.services.asset_input import AssetIn
from inventory.services.context import Actor
from inventory.services.upsert import upsert_assets
from tests import factories

UUID_B = "6f1c2d3e-0000-4000-8000-00000000000b"


def conflict(session: Session, actor: Actor) -> tuple[Asset, Asset, ReviewItem]:
    a = factories.asset(session, actor, serial_number="SN-A")
    b = factories.asset(session, actor, serial_number="SN-B", system_uuid=UUID_B)
    upsert_assets(
        session,
        actor,
        [AssetIn(serial_number="SN-A", system_uuid=UUID_B, name="which one?")],
        "scan",
    )
    item = session.exec(select(ReviewItem)).one()
    return a, b, item


def test_merge_applies_the_observation_to_the_chosen_asset(session: Session, actor: Actor) -> None:
    a, _b, item = conflict(session, actor)
    outcome = review.resolve(session, actor, item.id, review.Action.MERGE, "机房核实", a.id)
    session.refresh(a)
    assert a.name == "which one?"
    assert "merged" in outcome
    assert item.status is ReviewStatus.RESOLVED
    assert item.resolved_by == actor.name
    actions = session.exec(select(AuditEvent.action)).all()
    assert "review.resolve" in actions


def test_new_makes_a_separate_asset_despite_the_shared_evidence(
    session: Session, actor: Actor
) -> None:
    _a, _b, item = conflict(session, actor)
    review.resolve(session, actor, item.id, review.Action.NEW, "两台不同的机器", None)
    assert len(session.exec(select(Asset)).all()) == 3
    assert (
        session.exec(select(ReviewItem).where(col(ReviewItem.status) == ReviewStatus.OPEN)).all()
        == []
    )


def test_dismiss_and_the_rules_around_it(session: Session, actor: Actor) -> None:
    _a, _b, item = conflict(session, actor)
    with pytest.raises(DomainError, match="needs a reason"):
        review.resolve(session, actor, item.id, review.Action.DISMISS, "  ")
    with pytest.raises(DomainError, match="one of the candidates"):
        review.resolve(session, actor, item.id, review.Action.MERGE, "x", 99999)
    review.resolve(session, actor, item.id, review.Action.DISMISS, "扫描误报")
    with pytest.raises(DomainError, match="already"):
        review.resolve(session, actor, item.id, review.Action.DISMISS, "again")
