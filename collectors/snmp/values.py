"""Turning what agents send into trustworthy text and numbers. Pure functions.

Agents send hex-encoded strings, NUL-padded strings, GB18030 (Chinese
Windows), numbers where strings belong and strings where numbers belong;
every function here returns None for a value it cannot read rather than
raising, and never returns control characters.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

from collectors.snmp.types import Missing, Oid, SnmpValue

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HEX_STRING = re.compile(r"^(?:0x)?([0-9a-fA-F]{2}(?:[ :]?[0-9a-fA-F]{2})+)$")
MAX_TEXT = 1024  # a sysDescr longer than this is a hostile agent, not a device


def _plausible_utf8(char: str) -> bool:
    """Characters real UTF-8 text is made of: ASCII, European letters, Cyrillic, and
    everything from U+0800 on (CJK and its punctuation take three bytes)."""
    code = ord(char)
    return (
        code < 0x80
        or (0xC0 <= code <= 0x17F and char not in "\u00d7\u00f7")
        or 0x400 <= code <= 0x4FF
        or code >= 0x800
    )


def _plausible_gb(char: str) -> bool:
    """Characters of GB2312, the common set GBK text is written in: hanzi and CJK marks."""
    if ord(char) < 0x80:
        return True
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def _share(text: str, plausible: Callable[[str], bool]) -> float:
    wide = [c for c in text if ord(c) >= 0x80]
    return sum(map(plausible, wide)) / len(wide) if wide else 1.0


def _decode(raw: bytes) -> str | None:
    """UTF-8 or GB18030, whichever reads as text.

    Short GBK strings are often valid UTF-8 too (``实训平台`` in GBK reads as four
    Latin, Cyrillic and combining marks in UTF-8), so when both decode, the one
    whose non-ASCII characters are more plausible wins; a tie keeps UTF-8.
    """
    try:
        utf8: str | None = raw.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    try:
        gb: str | None = raw.decode("gb18030")
    except UnicodeDecodeError:
        gb = None
    if utf8 is None or gb is None or utf8 == gb:
        return utf8 if utf8 is not None else gb
    return gb if _share(gb, _plausible_gb) > _share(utf8, _plausible_utf8) else utf8


def text(value: SnmpValue) -> str | None:
    """A display string, or None. Bytes that are not text become ``0x…`` hex;
    text with a few control characters is kept as text without them."""
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
    if decoded is None:
        return "0x" + raw.hex()
    if _CONTROL.search(decoded):
        return _without_controls(decoded) or "0x" + raw.hex()
    return decoded.strip() or None


def _without_controls(decoded: str) -> str | None:
    """Text with a few control characters (a hostile sysName's ESC and BEL) read
    without them; None when controls are more than a quarter of it (binary).
    """
    kept = _CONTROL.sub("", decoded)
    controls = len(decoded) - len(kept)
    if len(kept.strip()) < 4 or controls * 3 > len(kept):
        return None
    return kept.strip() or None


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


def unsigned32(value: SnmpValue) -> int | None:
    """An Integer32 that stands for a size or count: a negative one wrapped, so add 2^32.

    Windows agents report volumes over 2^31 allocation units this way (RFC 2790
    declares hrStorageSize as Integer32 (0..2147483647)).
    """
    found = number(value)
    if found is None or not -(1 << 31) <= found < (1 << 32):
        return None
    return found + (1 << 32) if found < 0 else found


def oid(value: SnmpValue) -> Oid | None:
    if isinstance(value, Oid):
        return value
    if isinstance(value, bytes):
        decoded = text(value)
        if decoded and re.fullmatch(r"\.?\d+(\.\d+)+", decoded):
            return Oid.parse(decoded)
    return None


def mac(value: SnmpValue) -> str | None:
    """A MAC from 6 raw octets, or from text: ``00-1A-2B-…``, ``001a.2b3c.4d5e``, and
    snmpwalk's display without leading zeros (``0:c:29:71:86:17``).

    This only decodes what an agent sent; identity compares MACs after
    ``inventory.domain.identifiers.normalise_mac`` (collectors may not import it).
    """
    if isinstance(value, bytes) and len(value) == 6:
        return ":".join(f"{b:02x}" for b in value)
    decoded = text(value) if isinstance(value, bytes) else None
    if not decoded:
        return None
    groups = re.split(r"[:-]", decoded.strip())
    if len(groups) == 6 and all(re.fullmatch(r"[0-9a-fA-F]{1,2}", g) for g in groups):
        return ":".join(g.zfill(2) for g in groups).lower()
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
