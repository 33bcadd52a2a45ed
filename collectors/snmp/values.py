"""Turning what agents send into trustworthy text and numbers. Pure functions.

Agents send hex-encoded strings, NUL-padded strings, GB18030 (Chinese
Windows), numbers where strings belong and strings where numbers belong;
every function here returns None for a value it cannot read rather than
raising, and never returns control characters.
"""

from __future__ import annotations

import ipaddress
import re

from collectors.snmp.types import Missing, Oid, SnmpValue

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HEX_STRING = re.compile(r"^(?:0x)?([0-9a-fA-F]{2}(?:[ :]?[0-9a-fA-F]{2})+)$")
MAX_TEXT = 1024  # a sysDescr longer than this is a hostile agent, not a device


def _decode(raw: bytes) -> str | None:
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def text(value: SnmpValue) -> str | None:
    """A display string, or None. Bytes that are not text become ``0x…`` hex."""
    if value is None or isinstance(value, Missing):
        return None
    if not isinstance(value, bytes):
        return str(value)[:MAX_TEXT]
    raw = value[:MAX_TEXT].rstrip(b"\x00")
    if not raw:
        return None
    decoded = _decode(raw)
    if decoded is not None:
        decoded = decoded.replace("\r\n", "\n")
    if decoded is None or _CONTROL.search(decoded):
        return "0x" + raw.hex()
    return decoded.strip() or None


def number(value: SnmpValue) -> int | None:
    if isinstance(value, bool | Missing):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, bytes):  # some agents send counters as strings
        decoded = text(value)
        if decoded and decoded.lstrip("-").isdigit():
            return int(decoded)
    return None


def oid(value: SnmpValue) -> Oid | None:
    if isinstance(value, Oid):
        return value
    if isinstance(value, bytes):
        decoded = text(value)
        if decoded and re.fullmatch(r"\.?\d+(\.\d+)+", decoded):
            return Oid.parse(decoded)
    return None


def mac(value: SnmpValue) -> str | None:
    """A MAC from 6 raw octets, or from text like ``00-1A-2B-…`` or ``001a.2b3c.4d5e``."""
    if isinstance(value, bytes) and len(value) == 6:
        return ":".join(f"{b:02x}" for b in value)
    decoded = text(value) if isinstance(value, bytes) else None
    if decoded:
        digits = re.sub(r"[^0-9a-fA-F]", "", decoded.removeprefix("0x"))
        if len(digits) == 12:
            return ":".join(digits[i : i + 2] for i in range(0, 12, 2)).lower()
    return None


def hex_id(value: SnmpValue) -> str | None:
    """Binary identifiers (SNMP engine ID): lowercase hex, no separators."""
    if isinstance(value, bytes) and value:
        return value.hex()
    return None


def serial(value: SnmpValue) -> str | None:
    """Serial numbers: text that is not hex noise; identity rules clean the rest."""
    decoded = text(value)
    if decoded is None or decoded.startswith("0x"):
        return None
    return decoded[:128]


def ipv4(value: SnmpValue) -> str | None:
    if isinstance(value, ipaddress.IPv4Address):
        return str(value)
    if isinstance(value, bytes) and len(value) == 4:
        return str(ipaddress.IPv4Address(value))
    if isinstance(value, bytes) and len(value) == 16:
        return str(ipaddress.IPv6Address(value))
    return None


def hex_or_text(value: SnmpValue) -> str | None:
    """Strings some agents hex-encode (``0x48 75 61 77 65 69``): decoded when they are text."""
    decoded = text(value)
    if decoded is None:
        return None
    match = _HEX_STRING.match(decoded)
    if match and decoded.startswith("0x"):
        raw = bytes.fromhex(re.sub(r"[ :]", "", match.group(1)))
        again = text(raw)
        if again and not again.startswith("0x"):
            return again
    return decoded
