"""Plain facts the guards read; the service layer builds them from the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AssetFacts:
    is_classified: bool = False
    department_is_classified_unit: bool = False
    department_is_law_enforcement: bool = False
    location: str | None = None
    department_id: int | None = None
    has_maintainer: bool = False
    purpose: str | None = None
    monitoring_enabled: bool = False


@dataclass(frozen=True)
class MigrationFacts:
    asset: AssetFacts
    wave_id: int | None = None
    target_answers: bool = False
    source_silent: bool = False
    seen_in_target_room: bool = False


@dataclass(frozen=True)
class StaffFacts:
    maintains_exempt_assets: bool = False
    department_is_law_enforcement: bool = False
    batch_id: int | None = None
    batch_approved: bool = False


@dataclass(frozen=True)
class SanitisationRecord:
    method: str | None = None
    operator: str | None = None
    verifier: str | None = None
    performed_on: date | None = None
    certificate_no: str | None = None


@dataclass(frozen=True)
class DisposalFacts:
    route: str
    approval_doc_no: str | None = None
    sanitisation: SanitisationRecord = SanitisationRecord()
    register_row_linked: bool = False
