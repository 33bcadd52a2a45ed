"""The lifecycles of DESIGN section 6: tables, refusals, and what no sequence can reach."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from inventory.domain.errors import DomainError, PolicyViolation, TransitionError
from inventory.domain.facts import AssetFacts, MigrationFacts, StaffFacts
from inventory.domain.lifecycles import (
    CLOUD_MIGRATION,
    DISPOSAL,
    HOSTED_MIGRATION,
    MANAGED,
    STAFF,
    CloudMigrationState,
    StaffState,
)
from inventory.domain.machine import StateMachine

MACHINES: list[StateMachine[Any, Any]] = [
    CLOUD_MIGRATION,
    HOSTED_MIGRATION,
    MANAGED,
    STAFF,
    DISPOSAL,
]
READY = MigrationFacts(
    asset=AssetFacts(
        location="3号机柜",
        department_id=1,
        has_maintainer=True,
        purpose="OA",
        monitoring_enabled=True,
    ),
    wave_id=1,
    target_answers=True,
    source_silent=True,
    seen_in_target_room=True,
)


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
def test_every_table_names_only_states_of_its_own_enum(machine: StateMachine[Any, Any]) -> None:
    for source, targets in machine.table.items():
        assert isinstance(source, machine.states)
        assert all(isinstance(target, machine.states) for target in targets)
        assert source not in targets


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
def test_every_state_is_reachable_from_the_initial_one(machine: StateMachine[Any, Any]) -> None:
    reached, frontier = {machine.initial}, [machine.initial]
    while frontier:
        for target in machine.allowed(frontier.pop()):
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(machine.states)


def test_a_refused_transition_names_current_requested_and_allowed_states() -> None:
    with pytest.raises(TransitionError) as refused:
        CLOUD_MIGRATION.check(CloudMigrationState.IDENTIFIED, CloudMigrationState.VERIFIED, READY)
    message = str(refused.value)
    assert "'identified'" in message
    assert "'verified'" in message
    assert "assessed, on_hold" in message
    assert refused.value.allowed == ("assessed", "on_hold")


def test_cut_over_can_roll_back_to_migrating() -> None:
    CLOUD_MIGRATION.check(CloudMigrationState.CUT_OVER, CloudMigrationState.MIGRATING, READY)


def test_source_released_is_final() -> None:
    assert CLOUD_MIGRATION.is_final(CloudMigrationState.SOURCE_RELEASED)


def test_p6_verification_needs_target_answering_and_source_silent() -> None:
    facts = MigrationFacts(asset=READY.asset, wave_id=1, target_answers=True, source_silent=False)
    with pytest.raises(PolicyViolation, match="P6"):
        CLOUD_MIGRATION.check(CloudMigrationState.CUT_OVER, CloudMigrationState.VERIFIED, facts)


def test_planning_needs_a_wave() -> None:
    with pytest.raises(PolicyViolation, match="wave"):
        CLOUD_MIGRATION.check(
            CloudMigrationState.ASSESSED,
            CloudMigrationState.PLANNED,
            MigrationFacts(asset=READY.asset),
        )


def test_p4_a_managed_server_registers_only_with_a_complete_ledger() -> None:
    gaps = MigrationFacts(asset=AssetFacts(location="机房", department_id=1))
    with pytest.raises(PolicyViolation, match=r"P4.*maintainer, purpose"):
        MANAGED.check(MANAGED.initial, MANAGED.states("registered"), gaps)


classified_facts = st.builds(
    AssetFacts,
    is_classified=st.booleans(),
    department_is_classified_unit=st.booleans(),
    location=st.just("x"),
    department_id=st.just(1),
    has_maintainer=st.just(True),
    purpose=st.just("x"),
    monitoring_enabled=st.just(True),
).filter(lambda a: a.is_classified or a.department_is_classified_unit)


@given(
    asset=classified_facts,
    machine=st.sampled_from([CLOUD_MIGRATION, HOSTED_MIGRATION, MANAGED]),
    data=st.data(),
)
def test_p1_a_classified_asset_never_takes_any_migration_step(
    asset: AssetFacts, machine: StateMachine[Any, Any], data: st.DataObject
) -> None:
    facts = MigrationFacts(
        asset=asset, wave_id=1, target_answers=True, source_silent=True, seen_in_target_room=True
    )
    source = data.draw(st.sampled_from([s for s in machine.states if machine.allowed(s)]))
    target = data.draw(st.sampled_from(sorted(machine.allowed(source))))
    with pytest.raises(PolicyViolation, match="P1"):
        machine.check(source, target, facts)


@given(st.booleans(), st.booleans())
def test_p5_staff_of_classified_or_law_enforcement_servers_are_never_nominated(
    exempt_assets: bool, law_enforcement: bool
) -> None:
    facts = StaffFacts(
        maintains_exempt_assets=exempt_assets,
        department_is_law_enforcement=law_enforcement,
        batch_id=1,
        batch_approved=True,
    )
    if exempt_assets or law_enforcement:
        with pytest.raises(PolicyViolation, match="P5"):
            STAFF.check(StaffState.REGISTERED, StaffState.NOMINATED, facts)
        STAFF.check(StaffState.REGISTERED, StaffState.EXCLUDED, facts)
    else:
        STAFF.check(StaffState.REGISTERED, StaffState.NOMINATED, facts)
        with pytest.raises(PolicyViolation, match="P5"):
            STAFF.check(StaffState.REGISTERED, StaffState.EXCLUDED, facts)


def test_p5_a_transfer_needs_an_approved_batch() -> None:
    with pytest.raises(PolicyViolation, match="approval"):
        STAFF.check(StaffState.NOMINATED, StaffState.TRANSFERRED, StaffFacts(batch_id=1))


class LifecycleWalk(RuleBasedStateMachine):
    """Random requests against every machine: the state only ever moves along the table."""

    def __init__(self) -> None:
        super().__init__()
        self.states = {machine.name: machine.initial for machine in MACHINES}
        self.facts: dict[str, Any] = {}

    @rule(
        machine=st.sampled_from(MACHINES),
        data=st.data(),
        classified=st.booleans(),
        law=st.booleans(),
        ready=st.booleans(),
    )
    def request(
        self,
        machine: StateMachine[Any, Any],
        data: st.DataObject,
        classified: bool,
        law: bool,
        ready: bool,
    ) -> None:
        current = self.states[machine.name]
        target = data.draw(st.sampled_from(list(machine.states)))
        facts = _facts_for(machine, classified, law, ready)
        try:
            machine.check(current, target, facts)
        except (TransitionError, PolicyViolation):
            return
        assert target in machine.allowed(current)
        if machine in (CLOUD_MIGRATION, HOSTED_MIGRATION, MANAGED):
            assert not classified, "P1: a classified asset moved along a migration"
        if machine is STAFF and target in (StaffState.NOMINATED, StaffState.TRANSFERRED):
            assert not classified, "P5: staff of classified servers moved on"
            assert not law, "P5: staff of 公检法 servers moved on"
        self.states[machine.name] = target

    @invariant()
    def states_stay_inside_their_enums(self) -> None:
        for machine in MACHINES:
            assert isinstance(self.states[machine.name], machine.states)


def _facts_for(machine: StateMachine[Any, Any], classified: bool, law: bool, ready: bool) -> Any:
    from inventory.domain.facts import DisposalFacts, SanitisationRecord

    if machine is STAFF:
        return StaffFacts(
            maintains_exempt_assets=classified,
            department_is_law_enforcement=law,
            batch_id=1 if ready else None,
            batch_approved=ready,
        )
    if machine is DISPOSAL:
        record = SanitisationRecord(
            "purge", "甲", "乙", __import__("datetime").date(2026, 1, 1), "C1"
        )
        return DisposalFacts(
            route="warehouse",
            approval_doc_no="文号" if ready else None,
            sanitisation=record if ready else SanitisationRecord(),
            register_row_linked=ready,
        )
    asset = AssetFacts(
        is_classified=classified,
        location="x",
        department_id=1,
        has_maintainer=True,
        purpose="x",
        monitoring_enabled=ready,
    )
    return MigrationFacts(
        asset=asset,
        wave_id=1 if ready else None,
        target_answers=ready,
        source_silent=ready,
        seen_in_target_room=ready,
    )


TestLifecycleWalk = LifecycleWalk.TestCase


def test_coerce_rejects_a_state_the_machine_does_not_have() -> None:
    with pytest.raises(DomainError, match="identified"):
        CLOUD_MIGRATION.coerce("teleported")
