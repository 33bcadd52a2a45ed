"""Every table of the inventory; importing this package registers them all."""

from inventory.models.assets import (
    Asset,
    AssetAddress,
    AssetComponent,
    AssetMac,
    HostKey,
    UtilisationSample,
)
from inventory.models.audit import AuditChain, AuditEvent, AuditPolicy
from inventory.models.finance import Disposal, ReconciliationLink, RegisterRow
from inventory.models.migration import MigrationRecord, MigrationWave, StateTransition
from inventory.models.operations import CredentialProfile, ReviewItem, Scan
from inventory.models.organisation import (
    AssetSystemLink,
    Department,
    InformationSystem,
    MachineRoom,
)
from inventory.models.security import ApiToken, User
from inventory.models.staff import Staff, StaffAssignment, TransferBatch

__all__ = [
    "ApiToken",
    "Asset",
    "AssetAddress",
    "AssetComponent",
    "AssetMac",
    "AssetSystemLink",
    "AuditChain",
    "AuditEvent",
    "AuditPolicy",
    "CredentialProfile",
    "Department",
    "Disposal",
    "HostKey",
    "InformationSystem",
    "MachineRoom",
    "MigrationRecord",
    "MigrationWave",
    "ReconciliationLink",
    "RegisterRow",
    "ReviewItem",
    "Scan",
    "Staff",
    "StaffAssignment",
    "StateTransition",
    "TransferBatch",
    "User",
    "UtilisationSample",
]
