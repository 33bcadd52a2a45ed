"""Identity resolution: which asset, if any, an observation is (DESIGN section 5).

An IP address is never identity. Strong evidence (system UUID, serial,
machine-id) decides; SNMP engine IDs and SSH host keys decide when no strong
evidence does; MACs are weak. Every identifier is normalised and placeholder
values are thrown away first (inventory.domain.identifiers). A value that two
machines show at once (a cloned machine-id, a shared UUID) is demoted and
decides nothing. Contradicting evidence is a conflict for a person to review,
never a merge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Protocol

from inventory.domain.identifiers import (
    is_locally_administered,
    normalise_hex_id,
    normalise_mac,
    normalise_machine_id,
    normalise_serial,
    normalise_uuid,
    uuid_key,
)

__all__ = [
    "CLONABLE",
    "MEDIUM",
    "SCALAR_KINDS",
    "STRONG",
    "Evidence",
    "EvidenceIndex",
    "Outcome",
    "Resolution",
    "by_place",
    "contradictions",
    "identity_key",
    "is_thin",
    "normalise_hex_id",
    "normalise_mac",
    "normalise_machine_id",
    "normalise_serial",
    "normalise_uuid",
    "resolve",
]

STRONG = ("system_uuid", "serial_number", "machine_id")
MEDIUM = ("snmp_engine_id", "ssh_host_key")
# Values an operating system image carries: a cloned VM or a copied disk has
# them too, so alone they cannot tell a machine from its clone.
CLONABLE = frozenset({"machine_id", "ssh_host_key", "snmp_engine_id"})


def identity_key(kind: str, value: str) -> str:
    """The form two values of `kind` are compared in (a UUID in either byte order is one)."""
    return uuid_key(value) if kind == "system_uuid" else value


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

    def cleaned(self) -> Evidence:
        """The same evidence through today's normalisers (stored rows predate deny-list entries)."""
        return Evidence.of(**self.scalars(), macs=self.macs)


class EvidenceIndex(Protocol):
    """Looks up known assets by one piece of evidence."""

    def find(self, kind: str, value: str) -> set[int]: ...

    def evidence(self, asset_id: int) -> Evidence: ...

    def live(self, asset_id: int) -> bool:
        """Whether the asset answered earlier in the same run (scan) as the observation."""
        ...


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
        if kind in known_values
        and kind in seen_values
        and known_values[kind] != seen_values[kind]
        and identity_key(kind, known_values[kind]) != identity_key(kind, seen_values[kind])
    ]


def _distinct_macs(known: Evidence, seen: Evidence) -> bool:
    """The MACs say two machines: both sides show some and share none.

    Hardware MACs (globally administered) are compared when both sides have
    them, so a software MAC a template copied to its clones (virbr0) cannot
    make two machines one; otherwise all their MACs are.
    """
    known_hw, seen_hw = _hardware(known.macs), _hardware(seen.macs)
    if known_hw and seen_hw:
        return not known_hw & seen_hw
    return bool(known.macs) and bool(seen.macs) and not known.macs & seen.macs


def _distinct(known: Evidence, seen: Evidence) -> bool:
    """`_distinct_macs`, stored evidence judged by today's deny-lists (only when it counts)."""
    return _distinct_macs(known, seen) and _distinct_macs(known.cleaned(), seen)


def _hardware(macs: frozenset[str]) -> frozenset[str]:
    return frozenset(m for m in macs if not is_locally_administered(m))


@dataclass
class _Lookup:
    """What the index knows of each value `seen` carries, split by how far it can be trusted."""

    owners: dict[str, set[int]] = field(default_factory=dict)  # kind -> the one asset
    shared: dict[str, set[int]] = field(default_factory=dict)  # kind -> several assets
    mac_owners: set[int] = field(default_factory=set)
    demoted: set[str] = field(default_factory=set)  # kinds not to decide on, and why
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, index: EvidenceIndex, seen: Evidence) -> _Lookup:
        lookup = cls()
        for kind, value in seen.scalars().items():
            found = index.find(kind, value)
            if len(found) > 1:
                # One value on several known assets is not identity (a cloned
                # machine-id, a board batch sharing a UUID): it decides nothing.
                lookup.shared[kind] = found
                lookup.notes.append(f"{kind} is shared by {_ids(found)}")
            elif found:
                lookup.owners[kind] = found
        for mac in seen.macs:
            found = index.find("mac", mac)
            if len(found) > 1:
                lookup.shared.setdefault("mac", set()).update(found)
            else:
                lookup.mac_owners |= found
        return lookup

    def tier(self, kinds: Iterable[str]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for kind in kinds:
            if kind in self.owners and kind not in self.demoted:
                (asset_id,) = self.owners[kind]
                found.setdefault(asset_id, []).append(kind)
        return found


def _ids(assets: Iterable[int]) -> str:
    return ", ".join(f"#{a}" for a in sorted(assets))


def resolve(index: EvidenceIndex, seen: Evidence) -> Resolution:
    """Decide whether `seen` is a known asset, a new one, or a conflict to review.

    Tiers decide in order: strong (UUID, serial, machine-id), medium (engine
    ID, host key), then identifying MACs. A value several known assets share
    decides nothing. A match on values an OS image carries (machine-id, host
    key, engine ID) whose MACs are all different is a clone: when the matched
    asset answered earlier in the same scan, two machines are live at once and
    those values are demoted; otherwise a person decides. Evidence that
    contradicts the matched asset is a conflict, never a merge.
    """
    if seen.is_empty():
        return Resolution(Outcome.NEW, reason="no usable identity evidence")
    lookup = _Lookup.of(index, seen)
    for tier in (STRONG, MEDIUM):
        found = lookup.tier(tier)
        if len(found) > 1:
            return Resolution(
                Outcome.CONFLICT,
                candidates=tuple(sorted(found)),
                reason="evidence points at several assets: "
                + "; ".join(f"#{a} by {', '.join(k)}" for a, k in sorted(found.items())),
            )
        if found:
            ((asset_id, kinds),) = found.items()
            resolution = _confirm(index, seen, asset_id, tuple(kinds), lookup)
            if resolution is not None:
                return resolution
    # A MAC match is void where the hardware MACs disagree (a weak MAC in common only).
    by_mac = {a for a in lookup.mac_owners if not _distinct(index.evidence(a), seen)}
    if len(by_mac) > 1:
        return Resolution(
            Outcome.CONFLICT,
            candidates=tuple(sorted(by_mac)),
            reason="MAC addresses are shared by several assets",
        )
    if by_mac:
        (asset_id,) = by_mac
        return _confirm(index, seen, asset_id, ("mac",), lookup) or Resolution(Outcome.NEW)
    return _unmatched(index, seen, lookup)


def _confirm(
    index: EvidenceIndex,
    seen: Evidence,
    asset_id: int,
    kinds: tuple[str, ...],
    lookup: _Lookup,
) -> Resolution | None:
    """The match, a conflict, or None when the matched values were demoted (look further)."""
    known = index.evidence(asset_id)
    if kinds != ("mac",) and _distinct_macs(known, seen):
        known = known.cleaned()  # stored before today's deny-lists: judge it by them
        if _distinct_macs(known, seen):
            if index.live(asset_id):
                # Two machines answered in one run with the same value: it is not identity.
                lookup.demoted.update(kinds)
                lookup.notes.append(f"{', '.join(kinds)} also on #{asset_id}, live with other MACs")
                return None
            if set(kinds) <= CLONABLE:
                return Resolution(
                    Outcome.CONFLICT,
                    asset_id=asset_id,
                    candidates=(asset_id,),
                    reason=f"matches #{asset_id} by {', '.join(kinds)} but none of its MACs: "
                    "a clone of it, or the same machine with other network cards",
                    matched_on=kinds,
                )
    # Cleaning costs a normalisation per match: only where a clash would count.
    clash = contradictions(known, seen) and contradictions(known.cleaned(), seen)
    if clash:
        return Resolution(
            Outcome.CONFLICT,
            asset_id=asset_id,
            candidates=(asset_id,),
            reason=f"matches #{asset_id} by {', '.join(kinds)} but differs in {', '.join(clash)}",
            matched_on=kinds,
        )
    return Resolution(Outcome.MATCH, asset_id=asset_id, matched_on=kinds)


def _unmatched(index: EvidenceIndex, seen: Evidence, lookup: _Lookup) -> Resolution:
    """Nothing decisive: new, unless shared values leave it open which asset this is."""
    sharing = set().union(*lookup.shared.values()) if lookup.shared else set()
    sharing |= {a for kind in lookup.demoted for a in lookup.owners.get(kind, ())}
    undecided = [a for a in sorted(sharing) if not _distinct(index.evidence(a), seen)]
    if undecided:
        return Resolution(
            Outcome.CONFLICT,
            candidates=tuple(undecided),
            reason="only shared values identify it: " + "; ".join(lookup.notes),
        )
    reason = "no known asset has this evidence"
    if lookup.notes:
        reason += " (not identity: " + "; ".join(lookup.notes) + ")"
    return Resolution(Outcome.NEW, reason=reason)


# Rule ADDRESS_NAME (the weakest evidence, DESIGN section 5), for an
# observation with no strong evidence and no MAC (an SNMP agent that answered
# only its system group under load) that nothing known matched:
#   | same address, same name, nothing contradicts, one asset | that asset    |
#   | same address, same name, several or contradicting       | review        |
#   | same name elsewhere only (the ledger's other address)   | review        |
#   | no name and no evidence at all                          | review        |
#   | otherwise (a new name, or an address reused by another) | a new asset   |
# The address alone never decides, and never against contradicting evidence.
def is_thin(seen: Evidence) -> bool:
    """No strong evidence and no MAC: too little to tell this machine from its address."""
    scalars = seen.scalars()
    return not seen.macs and not any(kind in scalars for kind in STRONG)


def _same_name(known: str | None, seen: str | None) -> bool:
    return (known or "").strip().casefold() == (seen or "").strip().casefold()


def by_place(
    seen: Evidence,
    name: str | None,
    holders: dict[int, tuple[str | None, Evidence]],
    namesakes: dict[int, tuple[str | None, Evidence]] | None = None,
) -> Resolution:
    """Rule ADDRESS_NAME: `seen` (thin, matched nothing) against its address and name.

    `holders` maps each asset holding the observed address to its (name,
    evidence); `namesakes` the assets elsewhere with the same name. Names
    compare case-insensitively. See the table above for the outcomes.
    """
    named = {a: e for a, (n, e) in holders.items() if _same_name(n, name)}
    agreeing = [
        a
        for a, known in sorted(named.items())
        if not contradictions(known, seen) and not _distinct_macs(known, seen)
    ]
    if name and len(agreeing) == 1 and len(named) == 1:
        return Resolution(Outcome.MATCH, asset_id=agreeing[0], matched_on=("address", "name"))
    if name and named:
        return Resolution(
            Outcome.CONFLICT,
            candidates=tuple(sorted(named)),
            reason=f"only its address and name {name!r} identify it, shared with "
            f"{_ids(named)}" + ("" if agreeing else " whose evidence differs"),
        )
    elsewhere = {
        a for a, (n, known) in (namesakes or {}).items() if not contradictions(known, seen)
    }
    if name and elsewhere:
        return Resolution(
            Outcome.CONFLICT,
            candidates=tuple(sorted(elsewhere)),
            reason=f"no identity evidence; only its name {name!r} ties it to {_ids(elsewhere)}",
        )
    if not name and seen.is_empty():
        return Resolution(
            Outcome.CONFLICT,
            candidates=tuple(sorted(holders)),
            reason="answered without a name or any identity evidence",
        )
    return Resolution(Outcome.NEW, reason="no known asset has this evidence, address or name")
