"""snmpsim's recording format (``oid|tag|value``), both ways.

Recordings made with :func:`record` from a real agent feed the lab and the
parser tests; :func:`replay` turns one back into what a collection would
have gathered, without a network.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from collectors.snmp.client import Session
from collectors.snmp.collect import TABLE_COLUMNS
from collectors.snmp.parse import Collected
from collectors.snmp.types import Missing, Oid, SnmpValue
from collectors.snmp.walk import walk_columns

# Subtrees worth keeping for the inventory: small, and what the parsers read.
RECORDED_SUBTREES = tuple(
    Oid.parse(root)
    for root in (
        "1.3.6.1.2.1.1",  # system
        "1.3.6.1.2.1.2",  # interfaces
        "1.3.6.1.2.1.4.20",  # ipAddrTable
        "1.3.6.1.2.1.4.34",  # ipAddressTable
        "1.3.6.1.2.1.25.1",  # hrSystem
        "1.3.6.1.2.1.25.2",  # hrStorage
        "1.3.6.1.2.1.25.3",  # hrDevice, hrProcessor
        "1.3.6.1.2.1.31.1.1",  # ifXTable
        "1.3.6.1.2.1.47.1.1.1",  # entPhysicalTable
        "1.3.6.1.6.3.10.2.1",  # snmpEngine
        "1.3.6.1.4.1.2021.4",  # UCD memory
    )
)
_TAGS = {"2": int, "65": int, "66": int, "67": int, "70": int}


async def record(
    session: Session, roots: Sequence[Oid] = RECORDED_SUBTREES
) -> dict[Oid, SnmpValue]:
    """Every value under `roots`, as the agent answers them."""
    found: dict[Oid, SnmpValue] = {}
    for root in roots:
        walked = await walk_columns(session, [root], max_repetitions=25)
        for suffix, value in walked.column(root).items():
            found[Oid((*root, *suffix))] = value
    return found


def to_snmprec(values: dict[Oid, SnmpValue]) -> str:
    lines = []
    for oid in sorted(values):
        value = values[oid]
        if isinstance(value, bool) or value is None or isinstance(value, Missing):
            continue
        if isinstance(value, int):
            lines.append(
                f"{oid}|{'70' if value > 0xFFFFFFFF or value < -(1 << 31) else '2'}|{value}"
            )
        elif isinstance(value, Oid):
            lines.append(f"{oid}|6|{value}")
        elif isinstance(value, ipaddress.IPv4Address):
            lines.append(f"{oid}|64|{value}")
        else:
            lines.append(f"{oid}|4x|{value.hex()}")
    return "\n".join(lines) + "\n"


def load_snmprec(lines: Iterable[str]) -> dict[Oid, SnmpValue]:
    """Parse a recording; variation modules (``4:delay``) are read as their plain tag."""
    values: dict[Oid, SnmpValue] = {}
    for line in lines:
        line = line.rstrip("\r\n")
        if not line or line.startswith("#"):
            continue
        oid_text, tag, raw = line.split("|", 2)
        tag = tag.split(":", 1)[0]
        oid = Oid.parse(oid_text)
        if tag.endswith("x"):
            data = bytes.fromhex(raw)
            values[oid] = ipaddress.IPv4Address(data) if tag == "64x" else data
        elif tag in _TAGS:
            values[oid] = int(raw)
        elif tag == "6":
            values[oid] = Oid.parse(raw)
        elif tag == "64":
            # Recorders write IpAddress dotted, or as its four raw octets.
            try:
                values[oid] = ipaddress.IPv4Address(raw)
            except ValueError:
                octets = raw.encode("latin-1", errors="replace")
                values[oid] = ipaddress.IPv4Address(octets) if len(octets) == 4 else octets
        elif tag == "5":
            values[oid] = None
        else:
            values[oid] = raw.encode()
    return values


def replay(values: dict[Oid, SnmpValue]) -> Collected:
    """What a full collection would have gathered from an agent holding `values`."""
    collected = Collected()
    for oid, value in values.items():
        if oid[-1] == 0:
            collected.scalars[oid] = value
    for column in TABLE_COLUMNS:
        rows = {
            tuple(oid[len(column) :]): value
            for oid, value in values.items()
            if oid.startswith(column) and len(oid) > len(column)
        }
        if rows:
            collected.columns[column] = rows
    return collected
