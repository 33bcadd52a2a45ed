"""What a collector saw at one address: plain data, the only thing collectors hand on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from collectors.targets import Target


@dataclass
class Interface:
    index: int
    name: str | None = None
    description: str | None = None
    kind: int | None = None  # IANAifType
    mac: str | None = None
    speed_mbps: int | None = None
    up: bool | None = None
    in_octets: int | None = None
    out_octets: int | None = None
    alias: str | None = None
    addresses: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Disk:
    name: str
    size_gb: int
    model: str | None = None
    serial: str | None = None


@dataclass(frozen=True)
class Filesystem:
    mount: str
    size_gb: float
    used_pct: float


@dataclass
class Observation:
    address: str
    protocol: str  # "snmp" or "ssh"
    credential: str  # the profile's name, never its secret
    seen_at: datetime
    name: str | None = None
    description: str | None = None
    object_id: str | None = None
    location: str | None = None
    contact: str | None = None
    uptime_seconds: int | None = None
    vendor: str | None = None
    device_class: str = "unknown"
    fingerprint_rule: str | None = None
    model: str | None = None
    cpu_model: str | None = None
    os_name: str | None = None
    os_version: str | None = None
    firmware: str | None = None
    serial_number: str | None = None
    system_uuid: str | None = None
    # Which reader printed the UUID and in which byte order (collectors.smbios):
    # "dmidecode via root, SMBIOS 2.4: printed in stored order, turned".
    system_uuid_source: str | None = None
    machine_id: str | None = None
    snmp_engine_id: str | None = None
    ssh_host_key: str | None = None
    macs: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    interfaces: list[Interface] = field(default_factory=list)
    cpu_count: int | None = None
    cpu_load_pct: float | None = None
    memory_mb: int | None = None
    memory_used_pct: float | None = None
    disk_total_gb: int | None = None
    processes: int | None = None
    logged_in_users: int | None = None
    listening_ports: list[int] = field(default_factory=list)
    disks: list[Disk] = field(default_factory=list)
    filesystems: list[Filesystem] = field(default_factory=list)
    is_virtual: bool | None = None
    hypervisor: str | None = None
    # SMBIOS strings as the firmware gave them (product_version, board_name,
    # chassis_type, bios_version …; serial and UUID have their own fields).
    smbios: dict[str, str] = field(default_factory=dict)
    # Values that should have been read and were not, each saying why: an ops
    # engineer reads these on the scan record ("no SMBIOS: …").
    value_errors: list[str] = field(default_factory=list)
    # Fields this source knows less well than another does: guesses (an OS family
    # from a kernel release string) and what SNMP says of a server that its own
    # operating system tells better over SSH. The inventory lets them fill gaps only.
    inferred: set[str] = field(default_factory=set)


@dataclass
class TargetResult:
    """One target's outcome: never an exception out of a sweep."""

    target: Target
    observation: Observation | None = None
    responded: bool = False
    error: str | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.observation is None

    @property
    def silent(self) -> bool:
        """Nothing answered: an empty address, not an error."""
        return self.observation is None and not self.responded and self.error is None
