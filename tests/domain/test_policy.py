"""Policy rules P1, P3 and P8 as pure functions."""

from __future__ import annotations

from datetime import date

import pytest

from inventory.domain import policy
from inventory.domain.choices import DisposalRoute, Mode
from inventory.domain.errors import PolicyViolation
from inventory.domain.facts import AssetFacts, DisposalFacts, SanitisationRecord
from inventory.domain.lifecycles import DISPOSAL, DisposalState

COMPLETE = SanitisationRecord("destroy", "张伟", "李娜", date(2026, 10, 1), "QC-1")


def test_p1_a_classified_asset_takes_only_exempt() -> None:
    classified = AssetFacts(is_classified=True)
    policy.check_mode_allowed(classified, Mode.EXEMPT)
    for mode in (Mode.CLOUD, Mode.HOSTED, Mode.MANAGED, Mode.UNDECIDED):
        with pytest.raises(PolicyViolation, match="P1"):
            policy.check_mode_allowed(classified, mode)


def test_p1_every_server_of_a_classified_unit_is_exempt() -> None:
    assert policy.is_exempt(AssetFacts(department_is_classified_unit=True))


def test_p1_an_unclassified_asset_is_never_exempt() -> None:
    with pytest.raises(PolicyViolation, match="P1"):
        policy.check_mode_allowed(AssetFacts(), Mode.EXEMPT)


@pytest.mark.parametrize(
    ("missing", "record"),
    [
        ("method", SanitisationRecord(None, "张伟", "李娜", date(2026, 1, 1), "C")),
        ("verifier", SanitisationRecord("clear", "张伟", None, date(2026, 1, 1), "C")),
        ("certificate number", SanitisationRecord("clear", "张伟", "李娜", date(2026, 1, 1), None)),
        ("date", SanitisationRecord("clear", "张伟", "李娜", None, "C")),
    ],
)
def test_p8_hardware_leaves_only_with_a_complete_sanitisation_record(
    missing: str, record: SanitisationRecord
) -> None:
    facts = DisposalFacts(route="warehouse", approval_doc_no="财资〔2026〕1号", sanitisation=record)
    with pytest.raises(PolicyViolation, match=f"P8.*{missing}"):
        DISPOSAL.check(DisposalState.APPROVED, DisposalState.SANITISED, facts)


def test_p8_operator_and_verifier_are_two_people() -> None:
    same = SanitisationRecord("purge", "张伟", "张伟", date(2026, 1, 1), "C")
    with pytest.raises(PolicyViolation, match="verifier"):
        policy.require_sanitised(DisposalFacts(route="warehouse", sanitisation=same))


def test_p3_the_disposal_ends_on_its_own_route() -> None:
    facts = DisposalFacts(route="warehouse", approval_doc_no="x", sanitisation=COMPLETE)
    DISPOSAL.check(DisposalState.SANITISED, DisposalState.WAREHOUSED, facts)
    with pytest.raises(PolicyViolation, match="route is warehouse"):
        DISPOSAL.check(DisposalState.SANITISED, DisposalState.WRITTEN_OFF, facts)


@pytest.mark.parametrize(
    ("purchased", "healthy", "expected"),
    [
        (date(2024, 5, 1), True, DisposalRoute.WAREHOUSE),
        (date(2015, 5, 1), True, DisposalRoute.WRITE_OFF),
        (date(2024, 5, 1), False, DisposalRoute.WRITE_OFF),
        (None, True, DisposalRoute.WAREHOUSE),
    ],
)
def test_p3_idle_hardware_is_proposed_by_condition(
    purchased: date | None, healthy: bool, expected: DisposalRoute
) -> None:
    condition = policy.HardwareCondition(purchased, 6, None, healthy)
    assert policy.propose_route(condition, date(2026, 11, 22)) is expected


def test_useful_life_from_29_february() -> None:
    assert policy.add_years(date(2020, 2, 29), 6) == date(2026, 2, 28)


def test_p4_ledger_gaps_lists_every_missing_field() -> None:
    assert policy.ledger_gaps(AssetFacts()) == [
        "location",
        "owner department",
        "maintainer",
        "purpose",
        "monitoring",
    ]
