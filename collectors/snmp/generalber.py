"""pyasn1's general BER decoder, for the replies :mod:`fastber` does not vouch for.

Slow (about 130 µs a value) but general: it decides what is wrong with a
reply, and reads SNMPv3 values (through :func:`plain`) into plain values.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from pyasn1.codec.ber import decoder
from pyasn1.type import univ
from pysnmp.proto import api, rfc1902, rfc1905

from collectors.snmp.errors import MalformedReply
from collectors.snmp.fastber import Response
from collectors.snmp.types import Missing, Oid, SnmpValue

_MISSING = {
    rfc1905.NoSuchObject.tagSet: Missing.NO_SUCH_OBJECT,
    rfc1905.NoSuchInstance.tagSet: Missing.NO_SUCH_INSTANCE,
    rfc1905.EndOfMibView.tagSet: Missing.END_OF_MIB_VIEW,
}


def plain(value: Any) -> SnmpValue:
    """A pyasn1 value as int, bytes, Oid, IPv4Address, Missing or None.

    Raises MalformedReply for a type SNMP (RFC 2578) does not define.
    """
    tag = value.tagSet
    if tag in _MISSING:
        return _MISSING[tag]
    if isinstance(value, rfc1902.IpAddress):
        octets = bytes(value.asOctets())
        return ipaddress.IPv4Address(octets) if len(octets) == 4 else octets
    if isinstance(value, univ.Null):  # before OctetString: pyasn1's Null is one
        return None
    if isinstance(value, univ.OctetString):
        return bytes(value.asOctets())
    if isinstance(value, univ.Integer):
        return int(value)
    if isinstance(value, univ.ObjectIdentifier):
        return Oid(value.asTuple())
    raise MalformedReply(f"unexpected value type {type(value).__name__}")


def decode_general(data: bytes) -> Response:
    """A v1/v2c message decoded by pyasn1; raises PyAsn1Error or MalformedReply if it is not one."""
    version = int(api.decodeMessageVersion(data))
    module = api.PROTOCOL_MODULES[version]
    message, rest = decoder.decode(data, asn1Spec=module.Message())
    if rest:
        raise MalformedReply(f"{len(rest)} bytes after the message")
    pdu = module.apiMessage.get_pdu(message)
    return Response(
        version,
        int(module.apiPDU.get_request_id(pdu)),
        int(module.apiPDU.get_error_status(pdu)),
        int(module.apiPDU.get_error_index(pdu, muteErrors=True)),
        [(Oid(name.asTuple()), plain(value)) for name, value in module.apiPDU.get_varbinds(pdu)],
    )
