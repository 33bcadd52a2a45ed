"""What a collector saw at one address: plain data, the only thing collectors hand on.

Every class here is a dataclass of strings, numbers, lists and datetimes, so
a result crosses a process boundary as JSON (`to_json` / `from_json`: a
worker in another network zone sends it, the inventory merges it) and the
merge never needs to know which collector made it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any

from collectors.targets import Target

if TYPE_CHECKING:
    from pydantic import TypeAdapter


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


class KeyVerdict(StrEnum):
    TRUSTED = "trusted"  # the key the inventory trusts
    FIRST_USE = "first_use"  # unknown, accepted because the profile says so
    UNKNOWN = "unknown"  # unknown: refused until an operator approves it
    CHANGED = "changed"  # differs from the trusted key: blocked, alert


def openssh_fingerprint(sha256_hex: str) -> str:
    """A key's SHA-256 digest as OpenSSH prints it: `SHA256:` and base64 without padding.

    The form `ssh-keygen -lf key.pub` and `ssh` itself show (OpenSSH 6.8+,
    `sshkey_fingerprint` with SSH_FP_BASE64), so a person can compare by eye.
    """
    raw = bytes.fromhex(sha256_hex)
    return "SHA256:" + base64.b64encode(raw).decode("ascii").rstrip("=")


@dataclass(frozen=True)
class HostKey:
    key_type: str  # e.g. ssh-ed25519
    sha256: str  # hex digest of the key blob: what is stored and compared

    @property
    def openssh(self) -> str:
        """The fingerprint as OpenSSH shows it (for people; `sha256` is for comparing)."""
        return openssh_fingerprint(self.sha256)


@dataclass
class TargetResult:
    """One target's outcome: never an exception out of a sweep.

    `host_key` and `verdict` are set by collectors that meet a host key (SSH);
    the merge reads them as data, whatever collector made the result.
    """

    target: Target
    observation: Observation | None = None
    responded: bool = False
    error: str | None = None
    seconds: float = 0.0
    host_key: HostKey | None = None
    verdict: KeyVerdict | None = None

    @property
    def failed(self) -> bool:
        return self.observation is None

    @property
    def silent(self) -> bool:
        """Nothing answered: an empty address, not an error."""
        return self.observation is None and not self.responded and self.error is None


@cache
def _adapter() -> TypeAdapter[TargetResult]:
    # Built on first use: pydantic compiles a validator, which the CLI's --help
    # need not pay for.
    from pydantic import TypeAdapter

    return TypeAdapter(TargetResult)


def to_json(result: TargetResult) -> dict[str, Any]:
    """The result as JSON-ready data (datetimes as ISO 8601, sets as lists)."""
    data: dict[str, Any] = _adapter().dump_python(result, mode="json")
    return data


def from_json(data: dict[str, Any]) -> TargetResult:
    """A result back from `to_json`'s data; ValueError (pydantic's) when it is not one."""
    return _adapter().validate_python(data)
