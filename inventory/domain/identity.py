"""Identity resolution: which asset, if any, an observation is (DESIGN section 5).

An IP address is never identity. Strong evidence (system UUID, serial,
machine-id) decides; SNMP engine IDs and SSH host keys decide when no strong
evidence does; MACs are weak. Placeholder values are thrown away first.
Contradicting evidence is a conflict for a person to review, never a merge.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Protocol

STRONG = ("system_uuid", "serial_number", "machine_id")
MEDIUM = ("snmp_engine_id", "ssh_host_key")

# Values vendors ship unset; collected from BIOS/SMBIOS and SNMP in the field.
PLACEHOLDER_SERIALS = frozenset(
    value.casefold()
    for value in (
        "To be filled by O.E.M.",
        "To Be Filled By O.E.M.",
        "Default string",
        "System Serial Number",
        "Not Specified",
        "Not Available",
        "None",
        "N/A",
        "NA",
        "Unknown",
        "0",
        "00000000",
        "0000000000",
        "0123456789",
        "1234567890",
        "123456789",
        "Chassis Serial Number",
        "Base Board Serial Number",
        "INVALID",
        "XXXXXXXXXX",
        "empty",
        "Serial",
        "SN",
        "Default",
        "OEM",
    )
)
PLACEHOLDER_UUIDS = frozenset(
    {
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "03000200-0400-0500-0006-000700080009",  # the classic AMI/Supermicro default
        "00020003-0004-0005-0006-000700080009",
        "12345678-1234-5678-90ab-cddeefaabbcc",
    }
)
PLACEHOLDER_MACS = frozenset({"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"})
_HEX = re.compile(r"[0-9a-f]+")
_NOT_HEX = re.compile(r"[^0-9a-f]")
_CANONICAL_MAC = re.compile(r"[0-9a-f]{2}(?::[0-9a-f]{2}){5}")
_SEPARATORS = re.compile(r"[\s:.-]")


def normalise_serial(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(value.replace("\x00", "").split()).upper()
    if not cleaned or cleaned.casefold() in PLACEHOLDER_SERIALS:
        return None
    if len(set(cleaned)) == 1:  # "0000000", "XXXXXXX", "......."
        return None
    return cleaned


def normalise_uuid(value: str | None) -> str | None:
    if not value:
        return None
    try:
        canonical = str(uuid.UUID(value.strip()))
    except ValueError:
        return None
    return None if canonical in PLACEHOLDER_UUIDS else canonical


def normalise_machine_id(value: str | None) -> str | None:
    if not value:
        return None
    cleaned = value.strip().lower()
    if len(cleaned) != 32 or not _HEX.fullmatch(cleaned) or len(set(cleaned)) == 1:
        return None
    return cleaned


def normalise_hex_id(value: str | None) -> str | None:
    """SNMP engine IDs and host key fingerprints: lowercase, no separators."""
    if not value:
        return None
    cleaned = _SEPARATORS.sub("", value.strip().lower())
    if cleaned.startswith("0x"):
        cleaned = cleaned[2:]
    if not cleaned or len(set(cleaned)) == 1:
        return None
    return cleaned


def normalise_mac(value: str | None) -> str | None:
    if not value:
        return None
    lowered = value.lower()
    if _CANONICAL_MAC.fullmatch(lowered):  # the common case, already aa:bb:cc:dd:ee:ff
        if lowered in PLACEHOLDER_MACS or int(lowered[1], 16) & 1:
            return None
        return lowered
    digits = _NOT_HEX.sub("", lowered)
    if len(digits) != 12:
        return None
    mac = ":".join(digits[i : i + 2] for i in range(0, 12, 2))
    if mac in PLACEHOLDER_MACS or int(digits[1], 16) & 1:  # multicast is nobody's identity
        return None
    return mac


# The single-valued kinds of evidence, as Evidence declares them (read per row on imports,
# where dataclasses.fields() per call cost a third of the identity work).
SCALAR_KINDS = ("system_uuid", "serial_number", "machine_id", "snmp_engine_id", "ssh_host_key")


@dataclass(frozen=True)
class Evidence:
    """What identifies a machine, normalised; build it with :meth:`of`."""

    system_uuid: str | None = None
    serial_number: str | None = None
    machine_id: str | None = None
    snmp_engine_id: str | None = None
    ssh_host_key: str | None = None
    macs: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(
        cls,
        *,
        system_uuid: str | None = None,
        serial_number: str | None = None,
        machine_id: str | None = None,
        snmp_engine_id: str | None = None,
        ssh_host_key: str | None = None,
        macs: Iterable[str | None] = (),
    ) -> Evidence:
        return cls(
            system_uuid=normalise_uuid(system_uuid),
            serial_number=normalise_serial(serial_number),
            machine_id=normalise_machine_id(machine_id),
            snmp_engine_id=normalise_hex_id(snmp_engine_id),
            ssh_host_key=normalise_hex_id(ssh_host_key),
            macs=frozenset(m for m in (normalise_mac(mac) for mac in macs) if m),
        )

    @cached_property
    def _present(self) -> tuple[tuple[str, str], ...]:
        return tuple(
            (name, value) for name in SCALAR_KINDS if (value := getattr(self, name)) is not None
        )

    def scalars(self) -> dict[str, str]:
        """The single-valued evidence that is present, by kind."""
        return dict(self._present)

    def is_empty(self) -> bool:
        return not self._present and not self.macs


class EvidenceIndex(Protocol):
    """Looks up known assets by one piece of evidence."""

    def find(self, kind: str, value: str) -> set[int]: ...

    def evidence(self, asset_id: int) -> Evidence: ...


class Outcome(StrEnum):
    NEW = "new"
    MATCH = "match"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class Resolution:
    outcome: Outcome
    asset_id: int | None = None
    candidates: tuple[int, ...] = ()
    reason: str = ""
    matched_on: tuple[str, ...] = ()


def contradictions(known: Evidence, seen: Evidence) -> list[str]:
    """Kinds of strong or medium evidence where both sides have a value and they differ."""
    known_values, seen_values = known.scalars(), seen.scalars()
    return [
        kind
        for kind in (*STRONG, *MEDIUM)
        if kind in known_values and kind in seen_values and known_values[kind] != seen_values[kind]
    ]


def _matches(index: EvidenceIndex, seen: Evidence, kinds: Iterable[str]) -> Mapping[int, list[str]]:
    found: dict[int, list[str]] = {}
    values = seen.scalars()
    for kind in kinds:
        if kind in values:
            for asset_id in index.find(kind, values[kind]):
                found.setdefault(asset_id, []).append(kind)
    return found


def resolve(index: EvidenceIndex, seen: Evidence) -> Resolution:
    """Decide whether `seen` is a known asset, a new one, or a conflict to review."""
    if seen.is_empty():
        return Resolution(Outcome.NEW, reason="no usable identity evidence")
    for tier in (STRONG, MEDIUM):
        found = _matches(index, seen, tier)
        if len(found) > 1:
            return Resolution(
                Outcome.CONFLICT,
                candidates=tuple(sorted(found)),
                reason="evidence points at several assets: "
                + "; ".join(f"#{a} by {', '.join(k)}" for a, k in sorted(found.items())),
            )
        if found:
            ((asset_id, kinds),) = found.items()
            return _confirm(index, seen, asset_id, tuple(kinds))
    by_mac: set[int] = set()
    for mac in seen.macs:
        by_mac |= index.find("mac", mac)
    if len(by_mac) > 1:
        return Resolution(
            Outcome.CONFLICT,
            candidates=tuple(sorted(by_mac)),
            reason="MAC addresses are shared by several assets",
        )
    if by_mac:
        return _confirm(index, seen, by_mac.pop(), ("mac",))
    return Resolution(Outcome.NEW, reason="no known asset has this evidence")


def _confirm(
    index: EvidenceIndex, seen: Evidence, asset_id: int, kinds: tuple[str, ...]
) -> Resolution:
    clash = contradictions(index.evidence(asset_id), seen)
    if clash:
        return Resolution(
            Outcome.CONFLICT,
            asset_id=asset_id,
            candidates=(asset_id,),
            reason=f"matches #{asset_id} by {', '.join(kinds)} but differs in {', '.join(clash)}",
            matched_on=kinds,
        )
    return Resolution(Outcome.MATCH, asset_id=asset_id, matched_on=kinds)


@dataclass
class MemoryIndex:
    """An EvidenceIndex over evidence held in memory (bulk upserts, tests)."""

    by_asset: dict[int, Evidence] = field(default_factory=dict)
    _lookup: dict[tuple[str, str], set[int]] = field(default_factory=dict)

    def add(self, asset_id: int, evidence: Evidence) -> None:
        self.by_asset[asset_id] = evidence
        for kind, value in evidence.scalars().items():
            self._lookup.setdefault((kind, value), set()).add(asset_id)
        for mac in evidence.macs:
            self._lookup.setdefault(("mac", mac), set()).add(asset_id)

    def find(self, kind: str, value: str) -> set[int]:
        return set(self._lookup.get((kind, value), ()))

    def evidence(self, asset_id: int) -> Evidence:
        return self.by_asset[asset_id]
