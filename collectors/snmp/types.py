"""Plain SNMP values, free of pysnmp: what the transport hands to the parsers."""

from __future__ import annotations

import ipaddress
from enum import StrEnum


class Oid(tuple[int, ...]):
    """An object identifier as a tuple of ints; ``str()`` is dotted."""

    __slots__ = ()

    @classmethod
    def parse(cls, dotted: str) -> Oid:
        return cls(int(part) for part in dotted.strip(".").split("."))

    def __str__(self) -> str:
        return ".".join(map(str, self))

    def startswith(self, prefix: tuple[int, ...]) -> bool:
        return self[: len(prefix)] == prefix


class Missing(StrEnum):
    """An agent's way of saying "not here" for one value (RFC 3416 exceptions)."""

    NO_SUCH_OBJECT = "noSuchObject"
    NO_SUCH_INSTANCE = "noSuchInstance"
    END_OF_MIB_VIEW = "endOfMibView"


# int: INTEGER, Counter32/64, Gauge32, TimeTicks; bytes: OCTET STRING and Opaque.
SnmpValue = int | bytes | Oid | ipaddress.IPv4Address | Missing | None
VarBind = tuple[Oid, SnmpValue]
