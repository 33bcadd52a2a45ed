"""The lifecycles of DESIGN section 6: each enum with its table beside it."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from inventory.domain import policy
from inventory.domain.choices import DisposalRoute, Mode
from inventory.domain.facts import DisposalFacts, MigrationFacts, StaffFacts
from inventory.domain.machine import StateMachine


class CloudMigrationState(StrEnum):
    IDENTIFIED = "identified"
    ASSESSED = "assessed"
    PLANNED = "planned"
    MIGRATING = "migrating"
    CUT_OVER = "cut_over"
    VERIFIED = "verified"
    SOURCE_RELEASED = "source_released"
    ON_HOLD = "on_hold"


_C = CloudMigrationState
_CLOUD_OPEN = frozenset({_C.IDENTIFIED, _C.ASSESSED, _C.PLANNED, _C.MIGRATING, _C.CUT_OVER})
CLOUD_MIGRATION: StateMachine[CloudMigrationState, MigrationFacts] = StateMachine(
    name="cloud migration",
    initial=_C.IDENTIFIED,
    table={
        _C.IDENTIFIED: frozenset({_C.ASSESSED, _C.ON_HOLD}),
        _C.ASSESSED: frozenset({_C.PLANNED, _C.ON_HOLD}),
        _C.PLANNED: frozenset({_C.MIGRATING, _C.ON_HOLD}),
        _C.MIGRATING: frozenset({_C.CUT_OVER, _C.ON_HOLD}),
        _C.CUT_OVER: frozenset({_C.VERIFIED, _C.MIGRATING, _C.ON_HOLD}),  # -> migrating: rollback
        _C.VERIFIED: frozenset({_C.SOURCE_RELEASED}),
        _C.ON_HOLD: _CLOUD_OPEN,
    },
    guards={
        _C.PLANNED: (policy.require_wave,),
        _C.VERIFIED: (policy.require_cutover_verified,),
    },
    always=(policy.require_not_classified,),
)


class HostedMigrationState(StrEnum):
    IDENTIFIED = "identified"
    PLANNED = "planned"
    RELOCATING = "relocating"
    HOSTED = "hosted"
    ON_HOLD = "on_hold"


_H = HostedMigrationState
HOSTED_MIGRATION: StateMachine[HostedMigrationState, MigrationFacts] = StateMachine(
    name="hosted migration",
    initial=_H.IDENTIFIED,
    table={
        _H.IDENTIFIED: frozenset({_H.PLANNED, _H.ON_HOLD}),
        _H.PLANNED: frozenset({_H.RELOCATING, _H.ON_HOLD}),
        _H.RELOCATING: frozenset({_H.HOSTED, _H.ON_HOLD}),
        _H.ON_HOLD: frozenset({_H.IDENTIFIED, _H.PLANNED, _H.RELOCATING}),
    },
    guards={
        _H.PLANNED: (policy.require_wave,),
        _H.HOSTED: (policy.require_seen_in_target_room,),
    },
    always=(policy.require_not_classified,),
)


class ManagedState(StrEnum):
    IDENTIFIED = "identified"
    REGISTERED = "registered"
    MONITORED = "monitored"


_M = ManagedState
MANAGED: StateMachine[ManagedState, MigrationFacts] = StateMachine(
    name="managed",
    initial=_M.IDENTIFIED,
    table={
        _M.IDENTIFIED: frozenset({_M.REGISTERED}),
        _M.REGISTERED: frozenset({_M.MONITORED}),
        # A monitored server whose ledger lapses drops back to registered.
        _M.MONITORED: frozenset({_M.REGISTERED}),
    },
    guards={
        _M.REGISTERED: (policy.require_ledger_complete,),
        _M.MONITORED: (policy.require_ledger_complete, policy.require_monitoring),
    },
    always=(policy.require_not_classified,),
)


MIGRATION_MACHINES: dict[Mode, StateMachine[Any, MigrationFacts]] = {
    Mode.CLOUD: CLOUD_MIGRATION,
    Mode.HOSTED: HOSTED_MIGRATION,
    Mode.MANAGED: MANAGED,
}


class StaffState(StrEnum):
    REGISTERED = "registered"
    NOMINATED = "nominated"
    TRANSFERRED = "transferred"
    WORKING_CENTRALLY = "working_centrally"
    EXCLUDED = "excluded"


_S = StaffState
STAFF: StateMachine[StaffState, StaffFacts] = StateMachine(
    name="staff transfer",
    initial=_S.REGISTERED,
    table={
        _S.REGISTERED: frozenset({_S.NOMINATED, _S.EXCLUDED}),
        _S.NOMINATED: frozenset({_S.TRANSFERRED, _S.REGISTERED, _S.EXCLUDED}),
        _S.TRANSFERRED: frozenset({_S.WORKING_CENTRALLY}),
        # Exclusion is lifted only when its grounds are gone (servers reassigned).
        _S.EXCLUDED: frozenset({_S.REGISTERED}),
    },
    guards={
        _S.NOMINATED: (policy.require_transferable, policy.require_batch),
        _S.TRANSFERRED: (policy.require_transferable, policy.require_batch_approved),
        _S.EXCLUDED: (policy.require_exclusion_grounds,),
        _S.REGISTERED: (policy.require_transferable,),
    },
)


class DisposalState(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    SANITISED = "sanitised"
    WAREHOUSED = "warehoused"
    WRITTEN_OFF = "written_off"
    REDEPLOYED = "redeployed"
    RECONCILED = "reconciled"


_D = DisposalState
DISPOSAL: StateMachine[DisposalState, DisposalFacts] = StateMachine(
    name="disposal",
    initial=_D.PROPOSED,
    table={
        _D.PROPOSED: frozenset({_D.APPROVED, _D.REJECTED}),
        _D.APPROVED: frozenset({_D.SANITISED}),
        _D.SANITISED: frozenset({_D.WAREHOUSED, _D.WRITTEN_OFF, _D.REDEPLOYED}),
        _D.WAREHOUSED: frozenset({_D.RECONCILED}),
        _D.WRITTEN_OFF: frozenset({_D.RECONCILED}),
        _D.REDEPLOYED: frozenset({_D.RECONCILED}),
    },
    guards={
        _D.APPROVED: (policy.require_approval,),
        _D.SANITISED: (policy.require_sanitised,),
        _D.WAREHOUSED: (policy.require_sanitised, policy.require_route(DisposalRoute.WAREHOUSE)),
        _D.WRITTEN_OFF: (policy.require_sanitised, policy.require_route(DisposalRoute.WRITE_OFF)),
        _D.REDEPLOYED: (policy.require_sanitised, policy.require_route(DisposalRoute.REDEPLOY)),
        _D.RECONCILED: (policy.require_register_link,),
    },
)
