"""A strict, fast decoder for the one message shape agents send back: a v1/v2c Response.

pyasn1 is general and slow (about 130 µs a value, most of a sweep's CPU);
a response is always SEQUENCE { version, community, Response-PDU { request
id, error status, error index, SEQUENCE OF { OID, value } } }. Anything
else, or anything malformed, raises :class:`NotFastPath` and the caller
falls back to pyasn1, which decides what is wrong with it.
"""

from __future__ import annotations

import functools
import ipaddress
from dataclasses import dataclass

from collectors.snmp.types import Missing, Oid, SnmpValue, VarBind

RESPONSE_PDU = 0xA2
_INT32 = (-(1 << 31), (1 << 31) - 1)
_UNSIGNED = {0x41, 0x42, 0x43, 0x46}  # Counter32, Gauge32, TimeTicks, Counter64
_MISSING = {
    0x80: Missing.NO_SUCH_OBJECT,
    0x81: Missing.NO_SUCH_INSTANCE,
    0x82: Missing.END_OF_MIB_VIEW,
}


class NotFastPath(ValueError):
    """Not a plain response this decoder vouches for; use the general decoder."""


@dataclass(frozen=True)
class Response:
    version: int
    request_id: int
    error_status: int
    error_index: int
    varbinds: list[VarBind]


def _header(data: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """(tag, start of contents, end of contents) of the TLV at `pos`."""
    if pos + 2 > end:
        raise NotFastPath("truncated")
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or pos + count > end:
            raise NotFastPath("length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    stop = pos + length
    if stop > end:
        raise NotFastPath("overrun")
    return tag, pos, stop


def _integer(data: bytes, start: int, stop: int) -> int:
    if stop == start or stop - start > 9:
        raise NotFastPath("integer")
    return int.from_bytes(data[start:stop], "big", signed=True)


def _oid(data: bytes, start: int, stop: int) -> Oid:
    """An OBJECT IDENTIFIER's contents (X.690 8.19), minimal sub-identifiers only.

    X.690 8.19.2: the leading octet of a sub-identifier is never 0x80 (a
    padded, non-minimal encoding, which pyasn1 refuses as well).
    """
    if stop == start or data[stop - 1] & 0x80:
        raise NotFastPath("oid")
    arcs: list[int] = []
    value = 0
    fresh = True  # the next octet starts a sub-identifier
    for byte in data[start:stop]:
        if fresh and byte == 0x80:
            raise NotFastPath("non-minimal oid")
        value = (value << 7) | (byte & 0x7F)
        fresh = not byte & 0x80
        if fresh:
            arcs.append(value)
            value = 0
    first = arcs[0]
    head = (0, first) if first < 40 else (1, first - 40) if first < 80 else (2, first - 80)
    return Oid((*head, *arcs[1:]))


def _value(tag: int, data: bytes, start: int, stop: int, version: int) -> SnmpValue:
    """One varbind value; the ranges are RFC 2578's (RFC 1155's for v1), as pyasn1 checks them."""
    if tag == 0x04 or tag == 0x44:  # OCTET STRING, Opaque
        return data[start:stop]
    if tag == 0x02:
        number = _integer(data, start, stop)
        if version and not _INT32[0] <= number <= _INT32[1]:
            raise NotFastPath("Integer32 out of range")
        return number
    if tag in _UNSIGNED:
        if tag == 0x46 and version == 0:
            raise NotFastPath("Counter64 in SNMPv1")
        number = _integer(data, start, stop)  # BER integers are signed: 0xff is -1
        if not 0 <= number < (1 << (64 if tag == 0x46 else 32)):
            raise NotFastPath("unsigned out of range")
        return number
    if tag == 0x06:
        return _oid(data, start, stop)
    if tag == 0x40 and stop - start == 4:
        return ipaddress.IPv4Address(data[start:stop])
    if tag == 0x05 and stop == start:
        return None
    if tag in _MISSING and stop == start and version:
        return _MISSING[tag]
    raise NotFastPath(f"tag {tag:#x}")


def decode_response(data: bytes) -> Response:
    end = len(data)
    tag, pos, stop = _header(data, 0, end)
    if tag != 0x30 or stop != end:
        raise NotFastPath("message")
    tag, start, after = _header(data, pos, end)
    if tag != 0x02:
        raise NotFastPath("version")
    version = _integer(data, start, after)
    if version not in (0, 1):  # v1, v2c; v3 is another message
        raise NotFastPath("version")
    tag, _start, after = _header(data, after, end)
    if tag != 0x04:
        raise NotFastPath("community")
    tag, pos, pdu_end = _header(data, after, end)
    if tag != RESPONSE_PDU or pdu_end != end:
        raise NotFastPath("pdu")
    numbers = []
    for _ in range(3):
        tag, start, pos = _header(data, pos, pdu_end)
        if tag != 0x02:
            raise NotFastPath("pdu header")
        numbers.append(_integer(data, start, pos))
    tag, pos, list_end = _header(data, pos, pdu_end)
    if tag != 0x30 or list_end != pdu_end:
        raise NotFastPath("varbind list")
    varbinds: list[VarBind] = []
    while pos < list_end:
        tag, inner, pos = _header(data, pos, list_end)
        if tag != 0x30:
            raise NotFastPath("varbind")
        tag, start, after = _header(data, inner, pos)
        if tag != 0x06:
            raise NotFastPath("varbind name")
        name = _oid(data, start, after)
        tag, start, after = _header(data, after, pos)
        if after != pos:
            raise NotFastPath("varbind trailer")
        varbinds.append((name, _value(tag, data, start, after, version)))
    request_id, status, index = numbers
    if not _INT32[0] <= request_id <= _INT32[1] or not 0 <= index <= len(varbinds):
        raise NotFastPath("pdu header")  # pyasn1 refuses or clamps these: let it
    return Response(version, request_id, status, index, varbinds)


GET, GET_NEXT, GET_BULK = 0xA0, 0xA1, 0xA5


def _tlv(tag: int, contents: bytes) -> bytes:
    length = len(contents)
    if length < 0x80:
        return bytes((tag, length)) + contents
    size = (length.bit_length() + 7) // 8
    return bytes((tag, 0x80 | size)) + length.to_bytes(size, "big") + contents


def _encode_integer(value: int) -> bytes:
    size = max(1, (value.bit_length() + 8) // 8)  # room for the sign bit
    return _tlv(0x02, value.to_bytes(size, "big", signed=True))


def _encode_oid(oid: tuple[int, ...]) -> bytes:
    if len(oid) < 2:
        raise ValueError(f"an OID has at least two arcs: {oid}")
    arcs = [oid[0] * 40 + oid[1], *oid[2:]]
    out = bytearray()
    for arc in arcs:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out += bytes(reversed(chunk))
    return _tlv(0x06, bytes(out))


@functools.lru_cache(maxsize=512)
def _null_varbinds(oids: tuple[tuple[int, ...], ...]) -> bytes:
    # A sweep sends the same probe to every address: encode its OIDs once.
    return b"".join(_tlv(0x30, _encode_oid(oid) + b"\x05\x00") for oid in oids)


def encode_request(
    version: int,
    community: bytes,
    pdu: int,
    request_id: int,
    oids: list[tuple[int, ...]],
    max_repetitions: int = 0,
) -> bytes:
    """A v1/v2c GET, GETNEXT or GETBULK (non-repeaters 0) with NULL values."""
    varbinds = _null_varbinds(tuple(oids))
    second, third = (0, max_repetitions) if pdu == GET_BULK else (0, 0)
    body = (
        _encode_integer(request_id)
        + _encode_integer(second)
        + _encode_integer(third)
        + _tlv(0x30, varbinds)
    )
    message = _encode_integer(version) + _tlv(0x04, community) + _tlv(pdu, body)
    return _tlv(0x30, message)
