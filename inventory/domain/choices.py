"""Named choice sets. Values are what the database stores; never rename a value."""

from __future__ import annotations

from enum import StrEnum


class Mode(StrEnum):
    """The centralisation mode of an asset (P2); classified assets are exempt (P1)."""

    UNDECIDED = "undecided"
    CLOUD = "cloud"
    HOSTED = "hosted"
    MANAGED = "managed"
    EXEMPT = "exempt"


IN_SCOPE_MODES = frozenset({Mode.UNDECIDED, Mode.CLOUD, Mode.HOSTED, Mode.MANAGED})
TRACKED_MODES = frozenset({Mode.CLOUD, Mode.HOSTED, Mode.MANAGED})


class LifecycleStatus(StrEnum):
    ACTIVE = "active"
    IDLE = "idle"
    OFFLINE = "offline"
    RETIRED = "retired"
    DISPOSED = "disposed"


class DeviceClass(StrEnum):
    SERVER = "server"
    VIRTUAL_MACHINE = "virtual_machine"
    HYPERVISOR = "hypervisor"
    BMC = "bmc"
    STORAGE = "storage"
    UPS = "ups"
    SWITCH = "switch"
    ROUTER = "router"
    FIREWALL = "firewall"
    APPLIANCE = "appliance"  # load balancers and other single-purpose boxes
    OTHER = "other"
    UNKNOWN = "unknown"


class MachineRoomKind(StrEnum):
    DEPARTMENT_ROOM = "department_room"
    GOVERNMENT_CLOUD = "government_cloud"
    COLOCATION = "colocation"
    STANDARD_BIGDATA = "standard_bigdata"


class MachineRoomStatus(StrEnum):
    IN_USE = "in_use"
    EMPTIED = "emptied"
    CLOSED = "closed"


class WaveStatus(StrEnum):
    PLANNING = "planning"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class BatchStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    COMPLETED = "completed"


class AssignmentRole(StrEnum):
    PRIMARY = "primary"
    BACKUP = "backup"


class DisposalRoute(StrEnum):
    WAREHOUSE = "warehouse"
    WRITE_OFF = "write_off"
    REDEPLOY = "redeploy"


class SanitisationMethod(StrEnum):
    """NIST SP 800-88 categories, as GB/T 31500 uses them too."""

    CLEAR = "clear"
    PURGE = "purge"
    DESTROY = "destroy"


class CredentialKind(StrEnum):
    SNMP_V1 = "snmp_v1"
    SNMP_V2C = "snmp_v2c"
    SNMP_V3 = "snmp_v3"
    SSH_PASSWORD = "ssh_password"  # noqa: S105 (a kind of profile, not a password)
    SSH_KEY = "ssh_key"


class ComponentKind(StrEnum):
    """What an asset's component row describes (AssetComponent.kind)."""

    DISK = "disk"


class ScanKind(StrEnum):
    SNMP = "snmp"
    SSH = "ssh"
    MIXED = "mixed"
    IMPORT = "import"


class ScanStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ReviewKind(StrEnum):
    IDENTITY_CONFLICT = "identity_conflict"
    EVIDENCE_DISAGREEMENT = "evidence_disagreement"
    HOST_KEY_UNKNOWN = "host_key_unknown"
    HOST_KEY_CHANGED = "host_key_changed"
    ZOMBIE_ASSET = "zombie_asset"  # 僵尸资产: disposed or retired, yet it answers (P6)


class ReviewStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class ReviewAction(StrEnum):
    """What a person decides about a review item."""

    MERGE = "merge"  # the observation is this asset
    NEW = "new"  # the observation is another machine
    DISMISS = "dismiss"  # nothing to do (for example a zombie that was explained)


class HostKeyStatus(StrEnum):
    PENDING = "pending"
    TRUSTED = "trusted"
    REVOKED = "revoked"


class Role(StrEnum):
    ADMIN = "admin"
    OPS = "ops"
    BUREAU = "bureau"
    DEPARTMENT = "department"
    FINANCE = "finance"
    AUDITOR = "auditor"


class ReconciliationStatus(StrEnum):
    """Outcome of 账实核对 for one register row or one asset."""

    MATCHED = "matched"
    ON_BOOKS_NOT_FOUND = "on_books_not_found"  # 有账无物
    FOUND_NOT_ON_BOOKS = "found_not_on_books"  # 有物无账
