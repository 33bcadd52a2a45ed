"""Who may do what, and on which department's rows: pure rules, no I/O.

The roles follow MLPS 2.0's separation of duties (三权分立): the administrator
manages accounts and configuration but makes no business decisions and cannot
read the audit trail; the auditor reads the audit trail and nothing else; nobody
can change the audit trail at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from inventory.domain.choices import Role


class Permission(StrEnum):
    ASSET_READ = "asset.read"
    ASSET_WRITE = "asset.write"
    MODE_DECIDE = "asset.mode"  # P2: the bureau's decision
    DEPARTMENT_READ = "department.read"
    DEPARTMENT_WRITE = "department.write"
    ROOM_READ = "room.read"
    ROOM_WRITE = "room.write"
    STAFF_READ = "staff.read"
    STAFF_WRITE = "staff.write"
    SCAN_READ = "scan.read"
    SCAN_RUN = "scan.run"
    REVIEW_READ = "review.read"
    REVIEW_RESOLVE = "review.resolve"
    CREDENTIAL_READ = "credential.read"  # names and kinds; never a secret
    CREDENTIAL_WRITE = "credential.write"
    AUDIT_READ = "audit.read"
    USER_ADMIN = "user.admin"
    EXPORT = "export"
    OWN_TOKENS = "token.own"  # everybody manages their own API tokens


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        {
            P.USER_ADMIN,
            P.DEPARTMENT_READ,
            P.DEPARTMENT_WRITE,
            P.ROOM_READ,
            P.ROOM_WRITE,
            P.ASSET_READ,
            P.STAFF_READ,
            P.SCAN_READ,
            P.REVIEW_READ,
            P.CREDENTIAL_READ,
            P.CREDENTIAL_WRITE,
            P.OWN_TOKENS,
        }
    ),
    Role.OPS: frozenset(
        {
            P.ASSET_READ,
            P.ASSET_WRITE,
            P.DEPARTMENT_READ,
            P.ROOM_READ,
            P.STAFF_READ,
            P.SCAN_READ,
            P.SCAN_RUN,
            P.REVIEW_READ,
            P.REVIEW_RESOLVE,
            P.CREDENTIAL_READ,
            P.CREDENTIAL_WRITE,
            P.EXPORT,
            P.OWN_TOKENS,
        }
    ),
    Role.BUREAU: frozenset(
        {
            P.ASSET_READ,
            P.ASSET_WRITE,
            P.MODE_DECIDE,
            P.DEPARTMENT_READ,
            P.ROOM_READ,
            P.ROOM_WRITE,
            P.STAFF_READ,
            P.STAFF_WRITE,
            P.SCAN_READ,
            P.REVIEW_READ,
            P.EXPORT,
            P.OWN_TOKENS,
        }
    ),
    Role.DEPARTMENT: frozenset(
        {
            P.ASSET_READ,
            P.ASSET_WRITE,
            P.DEPARTMENT_READ,
            P.ROOM_READ,
            P.STAFF_READ,
            P.STAFF_WRITE,
            P.EXPORT,
            P.OWN_TOKENS,
        }
    ),
    Role.FINANCE: frozenset({P.ASSET_READ, P.DEPARTMENT_READ, P.ROOM_READ, P.EXPORT, P.OWN_TOKENS}),
    Role.AUDITOR: frozenset({P.AUDIT_READ, P.OWN_TOKENS}),
}

# Ledger fields each role may edit on an asset; identity evidence and what
# collectors observe are never edited by hand, the mode only through P2.
_LEDGER_FIELDS = frozenset({"name", "location", "purpose", "notes"})
_CUSTODIAN_FIELDS = _LEDGER_FIELDS | frozenset(
    {
        "department_id",
        "machine_room_id",
        "monitoring_enabled",
        "asset_tag",
        "purchase_date",
        "purchase_value",
        "useful_life_years",
        "warranty_until",
    }
)
EDITABLE_ASSET_FIELDS: dict[Role, frozenset[str]] = {
    Role.OPS: _CUSTODIAN_FIELDS,
    Role.BUREAU: _CUSTODIAN_FIELDS,
    Role.DEPARTMENT: _LEDGER_FIELDS,
}
EDITABLE_STAFF_FIELDS = frozenset({"name", "title", "skills"})


class AccessDenied(Exception):
    """The principal may not do this; the message says what was refused, never why not more."""


@dataclass(frozen=True)
class Principal:
    """The person behind a request, however they proved it (token or page session)."""

    user_id: int
    username: str
    role: Role
    department_id: int | None = None
    read_only: bool = False

    @property
    def actor_name(self) -> str:
        return f"user:{self.username}"

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise AccessDenied(f"role {self.role} may not {permission}")

    @property
    def departments(self) -> frozenset[int] | None:
        """The departments whose rows this principal sees; None means every department.

        A department user without a department sees nothing rather than everything.
        """
        if self.role is not Role.DEPARTMENT:
            return None
        return frozenset() if self.department_id is None else frozenset({self.department_id})

    def sees(self, department_id: int | None) -> bool:
        scope = self.departments
        return scope is None or department_id in scope

    def check_edit(self, fields: Iterable[str]) -> None:
        allowed = EDITABLE_ASSET_FIELDS.get(self.role, frozenset())
        refused = sorted(set(fields) - allowed)
        if refused:
            raise AccessDenied(f"role {self.role} may not change {', '.join(refused)}")
