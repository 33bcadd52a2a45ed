"""The fast path agrees with pysnmp's codec byte for byte, and refuses what it cannot vouch for."""

from __future__ import annotations

import ipaddress
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyasn1.codec.ber import encoder
from pyasn1.error import PyAsn1Error
from pysnmp.proto import api, rfc1902, rfc1905

from collectors.snmp.errors import MalformedReply
from collectors.snmp.fastber import (
    GET,
    GET_BULK,
    GET_NEXT,
    RESPONSE_PDU,
    NotFastPath,
    Response,
    decode_response,
    encode_request,
)
from collectors.snmp.generalber import decode_general
from collectors.snmp.types import Oid

V2 = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
V1 = api.PROTOCOL_MODULES[api.SNMP_VERSION_1]

arcs = st.integers(min_value=0, max_value=2**32 - 1)
oids = st.builds(
    lambda first, second, rest: (first, second, *rest),
    st.integers(0, 2),
    st.integers(0, 39),
    st.lists(arcs, min_size=0, max_size=12),
)
request_ids = st.integers(min_value=0, max_value=2**31 - 1)
values = st.one_of(
    st.integers(-(2**31), 2**31 - 1).map(rfc1902.Integer32),
    st.binary(max_size=300).map(rfc1902.OctetString),
    oids.map(rfc1902.ObjectIdentifier),
    st.integers(0, 2**32 - 1).map(rfc1902.Counter32),
    st.integers(0, 2**32 - 1).map(rfc1902.Gauge32),
    st.integers(0, 2**32 - 1).map(rfc1902.TimeTicks),
    st.integers(0, 2**64 - 1).map(rfc1902.Counter64),
    st.binary(min_size=4, max_size=4).map(lambda b: rfc1902.IpAddress(b)),
    st.sampled_from([rfc1905.noSuchObject, rfc1905.noSuchInstance, rfc1905.endOfMibView]),
)


PDU_NAMES = {GET: "GetRequestPDU", GET_NEXT: "GetNextRequestPDU", GET_BULK: "GetBulkRequestPDU"}


def reference_request(
    module: Any, kind: int, request_id: int, names: list[tuple[int, ...]], repetitions: int
) -> bytes:
    m = module
    pdu = getattr(m, PDU_NAMES[kind])()
    if kind == GET_BULK:
        m.apiBulkPDU.set_defaults(pdu)
        m.apiBulkPDU.set_max_repetitions(pdu, repetitions)
    else:
        m.apiPDU.set_defaults(pdu)
    m.apiPDU.set_request_id(pdu, request_id)
    m.apiPDU.set_varbinds(pdu, [(n, m.null) for n in names])
    message = m.Message()
    m.apiMessage.set_defaults(message)
    m.apiMessage.set_community(message, "c0mm")
    m.apiMessage.set_pdu(message, pdu)
    return bytes(encoder.encode(message))


@given(
    st.sampled_from([GET, GET_NEXT, GET_BULK]),
    request_ids,
    st.lists(oids, min_size=1, max_size=40),
    st.integers(1, 100),
)
def test_requests_are_what_pysnmp_would_send(
    kind: int, request_id: int, names: list[tuple[int, ...]], repetitions: int
) -> None:
    ours = encode_request(1, b"c0mm", kind, request_id, names, repetitions)
    assert ours == reference_request(V2, kind, request_id, names, repetitions)


@given(request_ids, st.lists(oids, min_size=1, max_size=5))
def test_v1_requests_too(request_id: int, names: list[tuple[int, ...]]) -> None:
    assert encode_request(0, b"c0mm", GET, request_id, names) == reference_request(
        V1, GET, request_id, names, 0
    )


def response(
    request_id: int, varbinds: list[tuple[tuple[int, ...], object]], status: int = 0
) -> bytes:
    pdu = V2.ResponsePDU()
    V2.apiPDU.set_defaults(pdu)
    V2.apiPDU.set_request_id(pdu, request_id)
    V2.apiPDU.set_error_status(pdu, status)
    V2.apiPDU.set_varbinds(pdu, varbinds)
    message = V2.Message()
    V2.apiMessage.set_defaults(message)
    V2.apiMessage.set_community(message, "c0mm")
    V2.apiMessage.set_pdu(message, pdu)
    return bytes(encoder.encode(message))


@given(request_ids, st.lists(st.tuples(oids, values), max_size=60), st.integers(0, 18))
def test_responses_decode_as_pysnmp_decodes_them(
    request_id: int, varbinds: list[tuple[tuple[int, ...], object]], status: int
) -> None:
    data = response(request_id, varbinds, status)
    assert decode_response(data) == decode_general(data)


def test_large_responses_use_long_lengths() -> None:
    data = response(7, [((1, 3, 6, 1, 2, 1, 1, 1, 0), rfc1902.OctetString(b"x" * 40_000))])
    decoded = decode_response(data)
    assert decoded.varbinds[0][1] == b"x" * 40_000


def test_an_ip_address_is_an_address() -> None:
    data = response(
        7, [((1, 3, 6, 1, 2, 1, 4, 20, 1, 1, 10, 0, 0, 1), rfc1902.IpAddress("10.0.0.1"))]
    )
    assert decode_response(data).varbinds[0][1] == ipaddress.IPv4Address("10.0.0.1")


def tlv(tag: int, contents: bytes) -> bytes:
    """A BER TLV with a definite length (short or long form), whatever the contents."""
    if len(contents) < 0x80:
        return bytes((tag, len(contents))) + contents
    size = (len(contents).bit_length() + 7) // 8
    return bytes((tag, 0x80 | size)) + len(contents).to_bytes(size, "big") + contents


def subidentifier(arc: int) -> bytes:
    chunk = [arc & 0x7F]
    arc >>= 7
    while arc:
        chunk.append(0x80 | (arc & 0x7F))
        arc >>= 7
    return bytes(reversed(chunk))


@st.composite
def oid_contents(draw: st.DrawFn) -> bytes:
    """An OID's contents: minimal, padded with 0x80 (non-minimal), or any bytes at all."""
    oid = draw(oids)
    parts = [subidentifier(oid[0] * 40 + oid[1]), *(subidentifier(a) for a in oid[2:])]
    kind = draw(st.sampled_from(["minimal", "minimal", "padded", "bytes"]))
    if kind == "padded":
        where = draw(st.integers(0, len(parts) - 1))
        parts[where] = b"\x80" + bytes([parts[where][0] | 0x80]) + parts[where][1:]
    if kind == "bytes":
        return draw(st.binary(max_size=12))
    return b"".join(parts)


def signed(number: int) -> bytes:
    return number.to_bytes(max(1, (number.bit_length() + 8) // 8), "big", signed=True)


# Every tag an agent may send in a varbind, a few it may not, and contents
# mostly well formed but also of any length: integers out of range, too long
# or non-minimal, addresses of 3 or 5 octets, empty integers.
value_tags = st.sampled_from(
    [0x02, 0x04, 0x05, 0x06, 0x40, 0x41, 0x42, 0x43, 0x44, 0x46, 0x80, 0x81, 0x82, 0x30, 0x01]
)
contents = st.one_of(
    st.integers(-(2**31), 2**32).map(signed),
    st.integers(-(2**70), 2**70).map(signed),
    st.binary(max_size=10),
    st.binary(min_size=1, max_size=2).map(b"\x00".__add__),
)
small = st.one_of(st.just(b"\x00"), st.just(b""), contents)


@st.composite
def inner_varbind(draw: st.DrawFn) -> bytes:
    tag = draw(value_tags)
    value = (
        draw(oid_contents())
        if tag == 0x06
        else b""
        if tag in (0x05, 0x80, 0x81, 0x82) and draw(st.booleans())
        else draw(contents)
    )
    return tlv(0x30, tlv(0x06, draw(oid_contents())) + tlv(tag, value))


@st.composite
def messages_past_the_header(draw: st.DrawFn) -> bytes:
    """Well-framed messages (every length right) with malformed or unusual insides."""
    numbers = tlv(0x02, draw(contents)) + tlv(0x02, draw(small)) + tlv(0x02, draw(small))
    varbinds = b"".join(draw(st.lists(inner_varbind(), max_size=3)))
    pdu = tlv(
        draw(st.sampled_from([RESPONSE_PDU, RESPONSE_PDU, 0xA0, 0xA4])),
        numbers + tlv(0x30, varbinds),
    )
    version = draw(st.sampled_from([b"\x00", b"\x01", b"\x01", b"\x03", b"\x00\x01"]))
    return tlv(0x30, tlv(0x02, version) + tlv(0x04, b"c0mm") + pdu)


def verdicts(data: bytes) -> tuple[Response | None, Response | None]:
    """(fast path, pyasn1): a Response or None for refused (as the dispatcher tells them)."""
    try:
        fast: Response | None = decode_response(data)
    except NotFastPath:
        fast = None
    try:
        general: Response | None = decode_general(data)
    except (PyAsn1Error, MalformedReply, KeyError, ValueError, TypeError, IndexError):
        general = None
    return fast, general


@settings(max_examples=400)
@given(messages_past_the_header())
def test_what_the_fast_path_accepts_pyasn1_reads_the_same(data: bytes) -> None:
    fast, general = verdicts(data)
    if fast is not None:
        assert general is not None, f"the fast path read what pyasn1 refuses: {data.hex()}"
        assert fast == general


@given(request_ids, st.lists(st.tuples(oids, values), min_size=1, max_size=6), st.data())
def test_a_changed_byte_inside_a_real_response_is_refused_or_read_right(
    request_id: int, varbinds: list[tuple[tuple[int, ...], object]], data: st.DataObject
) -> None:
    whole = bytearray(response(request_id, varbinds))
    where = data.draw(st.integers(2, len(whole) - 1))  # past the message header
    whole[where] = data.draw(st.integers(0, 255))
    fast, general = verdicts(bytes(whole))
    if fast is not None:
        assert fast == general


def test_the_generated_messages_reach_the_comparison() -> None:
    """The tests above would pass vacuously if every input were refused at once."""
    outcomes: Counter[str] = Counter()

    @settings(
        max_examples=300,
        database=None,
        derandomize=True,  # the same 300 inputs every run: a count, not a search
        deadline=None,
        suppress_health_check=list(HealthCheck),  # a loaded CI machine is slow, not wrong
    )
    @given(messages_past_the_header())
    def count(data: bytes) -> None:
        fast, _general = verdicts(data)
        outcomes["read" if fast is not None else "refused"] += 1

    count()
    assert outcomes["read"] >= 10  # 25 to 60 of 300 here
    assert outcomes["refused"] >= 10


def message(name_contents: bytes) -> bytes:
    """A v2c response of one varbind named by these OID contents, value NULL."""
    varbind = tlv(0x30, tlv(0x06, name_contents) + tlv(0x05, b""))
    pdu = tlv(RESPONSE_PDU, tlv(0x02, b"\x07") + tlv(0x02, b"\x00") * 2 + tlv(0x30, varbind))
    return tlv(0x30, tlv(0x02, b"\x01") + tlv(0x04, b"c0mm") + pdu)


@given(oids, st.data())
def test_any_padded_sub_identifier_is_refused_by_both(
    oid: tuple[int, ...], data: st.DataObject
) -> None:
    parts = [subidentifier(oid[0] * 40 + oid[1]), *(subidentifier(a) for a in oid[2:])]
    fast, general = verdicts(message(b"".join(parts)))
    assert fast is not None
    assert fast == general
    where = data.draw(st.integers(0, len(parts) - 1))
    parts[where] = b"\x80" + parts[where]  # the same number, one octet longer
    assert verdicts(message(b"".join(parts))) == (None, None)


def test_a_padded_sub_identifier_is_refused_as_pyasn1_refuses_it() -> None:
    """X.690 8.19.2: a sub-identifier never starts with 0x80, so 80 01 is not a way to write 1."""
    assert verdicts(message(bytes([0x2B, 0x06, 0x01, 0x80, 0x01]))) == (None, None)
    assert verdicts(message(bytes([0x2B, 0x06, 0x01, 0x80, 0x80, 0x01]))) == (None, None)
    fast, general = verdicts(message(bytes([0x2B, 0x06, 0x01, 0x01])))
    assert fast is not None
    assert fast == general
    assert fast.varbinds[0][0] == Oid((1, 3, 6, 1, 1))
    # 0x80 inside a sub-identifier is a zero group, not padding: 1.3.6.1.16384
    fast, general = verdicts(message(bytes([0x2B, 0x06, 0x01, 0x81, 0x80, 0x00])))
    assert fast is not None
    assert fast == general
    assert fast.varbinds[0][0] == Oid((1, 3, 6, 1, 16384))


@given(request_ids, st.lists(st.tuples(oids, values), min_size=1, max_size=10), st.data())
def test_any_truncation_is_refused(
    request_id: int, varbinds: list[tuple[tuple[int, ...], object]], data: st.DataObject
) -> None:
    whole = response(request_id, varbinds)
    cut = data.draw(st.integers(0, len(whole) - 1))
    try:
        decode_response(whole[:cut])
    except NotFastPath:
        return
    raise AssertionError("a truncated message decoded")


def test_a_request_pdu_sent_back_is_not_a_response() -> None:
    request = encode_request(1, b"c", GET, 5, [(1, 3, 6, 1)])
    try:
        decode_response(request)
    except NotFastPath:
        return
    raise AssertionError("a GET was taken for a response")
