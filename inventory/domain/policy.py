"""Policy rules P1..P8 as pure checks. Each raises PolicyViolation naming its rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from inventory.domain.choices import DisposalRoute, Mode
from inventory.domain.errors import PolicyViolation
from inventory.domain.facts import (
    AssetFacts,
    DisposalFacts,
    MigrationFacts,
    SanitisationRecord,
    StaffFacts,
)

# The Cybersecurity Law (Art. 21) and MLPS 2.0 ask for network logs to be
# kept for no less than six months; six calendar months are at most 184 days.
MIN_AUDIT_RETENTION_DAYS = 184


def is_exempt(asset: AssetFacts) -> bool:
    """P1: a classified asset, or any asset of a classified unit, is out of scope."""
    return asset.is_classified or asset.department_is_classified_unit


def check_mode_allowed(asset: AssetFacts, mode: Mode) -> None:
    """P1/P2: exempt assets take only EXEMPT; in-scope ones never do."""
    if is_exempt(asset) and mode is not Mode.EXEMPT:
        raise PolicyViolation("P1", "a classified server is exempt and takes no other mode")
    if not is_exempt(asset) and mode is Mode.EXEMPT:
        raise PolicyViolation("P1", "only classified servers are exempt")


def require_not_classified(facts: MigrationFacts) -> None:
    if is_exempt(facts.asset):
        raise PolicyViolation("P1", "a classified server never enters a migration plan")


def require_wave(facts: MigrationFacts) -> None:
    if facts.wave_id is None:
        raise PolicyViolation("P2", "a planned migration must belong to a migration wave")


def require_cutover_verified(facts: MigrationFacts) -> None:
    if not (facts.target_answers and facts.source_silent):
        raise PolicyViolation("P6", "verification needs the target answering and the source silent")


def require_seen_in_target_room(facts: MigrationFacts) -> None:
    if not facts.seen_in_target_room:
        raise PolicyViolation("P4", "a hosted server must be seen in the colocation network")


def ledger_gaps(asset: AssetFacts) -> list[str]:
    """P4: the ledger fields a managed server still lacks (location .. monitoring)."""
    gaps = []
    if not asset.location:
        gaps.append("location")
    if asset.department_id is None:
        gaps.append("owner department")
    if not asset.has_maintainer:
        gaps.append("maintainer")
    if not asset.purpose:
        gaps.append("purpose")
    if not asset.monitoring_enabled:
        gaps.append("monitoring")
    return gaps


def require_ledger_complete(facts: MigrationFacts) -> None:
    gaps = [gap for gap in ledger_gaps(facts.asset) if gap != "monitoring"]
    if gaps:
        raise PolicyViolation("P4", "ledger entry incomplete: missing " + ", ".join(gaps))


def require_monitoring(facts: MigrationFacts) -> None:
    if not facts.asset.monitoring_enabled:
        raise PolicyViolation("P4", "monitoring must be enabled before a server is monitored")


def staff_must_be_excluded(facts: StaffFacts) -> bool:
    """P5: maintainers of classified or 公检法 servers do not transfer."""
    return facts.maintains_exempt_assets or facts.department_is_law_enforcement


def require_transferable(facts: StaffFacts) -> None:
    if staff_must_be_excluded(facts):
        raise PolicyViolation(
            "P5", "staff of classified or public-security/procuratorate/court servers are excluded"
        )


def require_batch(facts: StaffFacts) -> None:
    if facts.batch_id is None:
        raise PolicyViolation("P5", "staff are nominated into a numbered transfer batch")


def require_batch_approved(facts: StaffFacts) -> None:
    if not facts.batch_approved:
        raise PolicyViolation("P5", "a transfer needs its batch's approval record")


def require_exclusion_grounds(facts: StaffFacts) -> None:
    if not staff_must_be_excluded(facts):
        raise PolicyViolation("P5", "only staff of classified or 公检法 servers are excluded")


def sanitisation_gaps(record: SanitisationRecord) -> list[str]:
    """P8: what a data-sanitisation record still lacks."""
    return [
        name
        for name, value in (
            ("method", record.method),
            ("operator", record.operator),
            ("verifier", record.verifier),
            ("date", record.performed_on),
            ("certificate number", record.certificate_no),
        )
        if not value
    ]


def require_approval(facts: DisposalFacts) -> None:
    if not facts.approval_doc_no:
        raise PolicyViolation(
            "P3", "disposal approval needs an approval document number (批复文号)"
        )


def require_sanitised(facts: DisposalFacts) -> None:
    gaps = sanitisation_gaps(facts.sanitisation)
    if gaps:
        raise PolicyViolation("P8", "sanitisation record incomplete: missing " + ", ".join(gaps))
    if facts.sanitisation.operator == facts.sanitisation.verifier:
        raise PolicyViolation("P8", "the verifier must be another person than the operator")


def require_route(route: DisposalRoute) -> Callable[[DisposalFacts], None]:
    def guard(facts: DisposalFacts) -> None:
        if facts.route != route:
            raise PolicyViolation("P3", f"this disposal's route is {facts.route}, not {route}")

    return guard


def require_register_link(facts: DisposalFacts) -> None:
    if not facts.register_row_linked:
        raise PolicyViolation("P3", "reconciliation needs the finance register row linked")


@dataclass(frozen=True)
class HardwareCondition:
    purchase_date: date | None
    useful_life_years: int | None
    warranty_until: date | None
    healthy: bool


def propose_route(condition: HardwareCondition, today: date) -> DisposalRoute:
    """P3: reusable hardware goes to the public warehouse, worn-out hardware to write-off.

    Past its useful life, or unhealthy, a machine is written off; otherwise it
    goes to the finance bureau's public warehouse (财政公务仓) for reuse.
    """
    if not condition.healthy:
        return DisposalRoute.WRITE_OFF
    worn_out = (
        condition.purchase_date is not None
        and condition.useful_life_years is not None
        and add_years(condition.purchase_date, condition.useful_life_years) <= today
    )
    if worn_out:
        return DisposalRoute.WRITE_OFF
    return DisposalRoute.WAREHOUSE


def add_years(start: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)
