"""The fast path agrees with pysnmp's codec byte for byte, and refuses what it cannot vouch for."""

from __future__ import annotations

import ipaddress
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from pyasn1.codec.ber import encoder
from pysnmp.proto import api, rfc1902, rfc1905

from collectors.snmp.fastber import (
    GET,
    GET_BULK,
    GET_NEXT,
    NotFastPath,
    decode_response,
    encode_request,
)
from collectors.snmp.generalber import decode_general

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


@given(st.binary(max_size=200))
def test_garbage_is_refused_never_misread(data: bytes) -> None:
    try:
        decoded = decode_response(data)
    except NotFastPath:
        return
    assert decoded == decode_general(data)  # if it decodes at all, it decodes right


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
