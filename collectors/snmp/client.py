"""The one module that imports pysnmp: requests out, plain values back.

SNMPv1 and v2c go through a single UDP socket per process, encoded and
decoded with pysnmp's message codec, so thousands of targets share one
socket, one request-id space and one rate limit. SNMPv3 needs the USM
machinery, so it goes through one pysnmp ``SnmpEngine`` per process.
Nothing from a reply reaches the caller as a pysnmp object.
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pyasn1.codec.ber import decoder
from pyasn1.error import PyAsn1Error
from pyasn1.type import univ
from pysnmp.proto import api, rfc1902, rfc1905

from collectors.credentials import SnmpCredential, SnmpVersion
from collectors.snmp.fastber import (
    GET,
    GET_BULK,
    GET_NEXT,
    NotFastPath,
    Response,
    decode_response,
    encode_request,
)
from collectors.snmp.types import Missing, Oid, SnmpValue, VarBind
from collectors.targets import Target

MAX_DATAGRAM = 65_507


class SnmpError(Exception):
    """One request failed; the message is fit for a scan record."""


class SnmpTimeout(SnmpError):
    pass


class MalformedReply(SnmpError):
    pass


class TooBig(SnmpError):
    pass


class ErrorStatus(SnmpError):
    def __init__(self, status: int, index: int, name: str) -> None:
        super().__init__(f"agent answered {name} (error-status {status}, index {index})")
        self.status, self.index = status, index


class Session(Protocol):
    """What walks and collectors need of an SNMP agent."""

    version: SnmpVersion

    async def get(self, oids: Sequence[Oid]) -> list[VarBind]: ...

    async def bulk(self, oids: Sequence[Oid], max_repetitions: int) -> list[VarBind]: ...


class RateLimiter:
    """A token bucket over every datagram sent, so a scan never floods a network."""

    def __init__(self, per_second: float, burst: int | None = None) -> None:
        self.interval = 1.0 / per_second
        self.burst = burst if burst is not None else max(1, int(per_second / 20))
        self._tokens = float(self.burst)
        self._stamp: float | None = None

    async def acquire(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            if self._stamp is not None:
                self._tokens = min(self.burst, self._tokens + (now - self._stamp) / self.interval)
            self._stamp = now
            if self._tokens >= 1:
                self._tokens -= 1
                return
            await asyncio.sleep((1 - self._tokens) * self.interval)


# --- pyasn1 values to plain values ------------------------------------------------

_MISSING = {
    rfc1905.NoSuchObject.tagSet: Missing.NO_SUCH_OBJECT,
    rfc1905.NoSuchInstance.tagSet: Missing.NO_SUCH_INSTANCE,
    rfc1905.EndOfMibView.tagSet: Missing.END_OF_MIB_VIEW,
}


def plain(value: Any) -> SnmpValue:
    """A pyasn1 value as int, bytes, Oid, IPv4Address, Missing or None."""
    tag = value.tagSet
    if tag in _MISSING:
        return _MISSING[tag]
    if isinstance(value, rfc1902.IpAddress):
        octets = bytes(value.asOctets())
        return ipaddress.IPv4Address(octets) if len(octets) == 4 else octets
    if isinstance(value, univ.OctetString):
        return bytes(value.asOctets())
    if isinstance(value, univ.Integer):
        return int(value)
    if isinstance(value, univ.ObjectIdentifier):
        return Oid(value.asTuple())
    if isinstance(value, univ.Null):
        return None
    raise MalformedReply(f"unexpected value type {type(value).__name__}")


def _decode_general(data: bytes) -> Response:
    """pyasn1's decoder, for what the fast path does not vouch for."""
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


# --- v1 / v2c over one socket ------------------------------------------------------

_ERROR_NAMES = {
    1: "tooBig",
    2: "noSuchName",
    3: "badValue",
    4: "readOnly",
    5: "genErr",
    6: "noAccess",
    16: "authorizationError",
}


@dataclass
class _Pending:
    address: tuple[str, int]
    future: asyncio.Future[Any]


class _Dispatcher(asyncio.DatagramProtocol):
    """Matches replies to requests by request-id and sender; drops everything else."""

    def __init__(self) -> None:
        self.pending: dict[int, _Pending] = {}
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # a datagram endpoint's

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        sender = (str(addr[0]), int(addr[1]))
        try:
            reply = decode_response(data)
        except NotFastPath:
            try:
                reply = _decode_general(data)
            except (PyAsn1Error, MalformedReply, KeyError, ValueError, TypeError, IndexError):
                self._fail_sender(
                    sender, f"undecodable reply of {len(data)} bytes from {sender[0]}"
                )
                return
        waiting = self.pending.get(reply.request_id)
        if waiting is None or waiting.address != sender or waiting.future.done():
            return  # late, duplicate or spoofed: never someone else's answer
        waiting.future.set_result(reply)

    def _fail_sender(self, sender: tuple[str, int], reason: str) -> None:
        for waiting in self.pending.values():
            if waiting.address == sender and not waiting.future.done():
                waiting.future.set_exception(MalformedReply(reason))

    def error_received(self, exc: Exception) -> None:  # ICMP errors on Linux
        return


@dataclass
class _CommunitySession:
    engine: SnmpEngine
    target: Target
    credential: SnmpCredential
    timeout: float
    retries: int
    version: SnmpVersion = field(init=False)

    def __post_init__(self) -> None:
        self.version = self.credential.version

    async def get(self, oids: Sequence[Oid]) -> list[VarBind]:
        """GET; on v1, a missing object is reported per value, not for the whole PDU."""
        wanted = list(oids)
        missing: dict[Oid, SnmpValue] = {}
        while wanted:
            try:
                got = await self._request(GET, wanted)
            except ErrorStatus as exc:
                if exc.status != 2 or not 0 < exc.index <= len(wanted):
                    raise
                missing[wanted.pop(exc.index - 1)] = Missing.NO_SUCH_OBJECT
                continue
            found = dict(got)
            return [(oid, found.get(oid, missing.get(oid, Missing.NO_SUCH_OBJECT))) for oid in oids]
        return [(oid, missing[oid]) for oid in oids]

    async def bulk(self, oids: Sequence[Oid], max_repetitions: int) -> list[VarBind]:
        if self.version is SnmpVersion.V1:  # no GETBULK in v1: one GETNEXT row
            try:
                return await self._request(GET_NEXT, list(oids))
            except ErrorStatus as exc:
                if exc.status == 2:  # v1's way of saying end of view
                    return [(oid, Missing.END_OF_MIB_VIEW) for oid in oids]
                raise
        return await self._request(GET_BULK, list(oids), max_repetitions)

    async def _request(self, pdu: int, oids: list[Oid], max_repetitions: int = 0) -> list[VarBind]:
        request_id = self.engine.next_request_id()
        payload = encode_request(
            0 if self.version is SnmpVersion.V1 else 1,
            (self.credential.community or "").encode(),
            pdu,
            request_id,
            list(oids),
            max_repetitions,
        )
        reply: Response = await self.engine.exchange(
            payload, request_id, self.target, self.timeout, self.retries
        )
        if reply.error_status:
            if reply.error_status == 1:
                raise TooBig("agent answered tooBig")
            name = _ERROR_NAMES.get(reply.error_status, "error")
            raise ErrorStatus(reply.error_status, reply.error_index, name)
        return reply.varbinds


# --- v3 through pysnmp's engine -----------------------------------------------------

_AUTH = {
    "MD5": "USM_AUTH_HMAC96_MD5",
    "SHA": "USM_AUTH_HMAC96_SHA",
    "SHA224": "USM_AUTH_HMAC128_SHA224",
    "SHA256": "USM_AUTH_HMAC192_SHA256",
    "SHA384": "USM_AUTH_HMAC256_SHA384",
    "SHA512": "USM_AUTH_HMAC384_SHA512",
}
_PRIV = {
    "DES": "USM_PRIV_CBC56_DES",
    "3DES": "USM_PRIV_CBC168_3DES",
    "AES128": "USM_PRIV_CFB128_AES",
    "AES192": "USM_PRIV_CFB192_AES",
    "AES256": "USM_PRIV_CFB256_AES",
}


@dataclass
class _UsmSession:
    engine: SnmpEngine
    target: Target
    credential: SnmpCredential
    timeout: float
    retries: int
    version: SnmpVersion = SnmpVersion.V3

    def _auth(self) -> Any:
        from pysnmp.hlapi.v3arch import asyncio as hl

        c = self.credential
        level = c.security_level
        return hl.UsmUserData(
            c.user or "",
            authKey=c.auth_key if level != "noAuthNoPriv" else None,
            privKey=c.priv_key if level == "authPriv" else None,
            authProtocol=getattr(hl, _AUTH[c.auth_protocol])
            if level != "noAuthNoPriv"
            else hl.USM_AUTH_NONE,
            privProtocol=getattr(hl, _PRIV[c.priv_protocol])
            if level == "authPriv"
            else hl.USM_PRIV_NONE,
        )

    async def _call(self, command: str, oids: Sequence[Oid], *bulk_args: int) -> list[VarBind]:
        from pysnmp.hlapi.v3arch import asyncio as hl

        engine = self.engine.usm_engine()
        transport = await hl.UdpTransportTarget.create(
            (self.target.address, self.target.port), timeout=self.timeout, retries=self.retries
        )
        for _ in range(self.retries + 1):
            await self.engine.limiter.acquire()
        function = getattr(hl, command)
        indication, status, index, varbinds = await function(
            engine,
            self._auth(),
            transport,
            hl.ContextData(contextName=self.credential.context),
            *bulk_args,
            *(hl.ObjectType(hl.ObjectIdentity(str(oid))) for oid in oids),
            lookupMib=False,
        )
        if indication:
            text = str(indication)
            if "timeout" in text.lower() or "no snmp response" in text.lower():
                raise SnmpTimeout(f"no answer from {self.target} (SNMPv3)")
            raise SnmpError(f"SNMPv3: {text}")
        if int(status):
            if int(status) == 1:
                raise TooBig("agent answered tooBig")
            raise ErrorStatus(int(status), int(index), _ERROR_NAMES.get(int(status), "error"))
        return [(Oid(tuple(_name_of(name))), plain(value)) for name, value in varbinds]

    async def get(self, oids: Sequence[Oid]) -> list[VarBind]:
        return await self._call("get_cmd", oids)

    async def bulk(self, oids: Sequence[Oid], max_repetitions: int) -> list[VarBind]:
        return await self._call("bulk_cmd", oids, 0, max_repetitions)


def _name_of(name: Any) -> Any:
    # With lookupMib off pysnmp hands back an ObjectName; with it on, an ObjectIdentity.
    return name.get_oid() if hasattr(name, "get_oid") else name


# --- the engine ---------------------------------------------------------------------


class SnmpEngine:
    """One per process: the v1/v2c socket, the v3 engine and the packet-rate limit."""

    def __init__(self, packets_per_second: float = 2000.0) -> None:
        self.limiter = RateLimiter(packets_per_second)
        self._request_id = random.randrange(1, 1 << 30)  # noqa: S311 (not a secret)
        self._dispatchers: dict[int, _Dispatcher] = {}
        self._usm: Any = None
        self._opening: asyncio.Lock | None = None

    def next_request_id(self) -> int:
        self._request_id = self._request_id % ((1 << 31) - 1) + 1
        return self._request_id

    async def _dispatcher(self, family_v6: bool) -> _Dispatcher:
        key = 6 if family_v6 else 4
        found = self._dispatchers.get(key)
        if found is not None and found.transport is not None and not found.transport.is_closing():
            return found
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:  # hundreds of workers start at once: one socket
            found = self._dispatchers.get(key)
            if found is None or found.transport is None or found.transport.is_closing():
                loop = asyncio.get_running_loop()
                local = ("::", 0) if family_v6 else ("0.0.0.0", 0)  # noqa: S104 (client socket)
                _transport, found = await loop.create_datagram_endpoint(
                    _Dispatcher, local_addr=local
                )
                self._dispatchers[key] = found
        return found

    async def exchange(
        self, payload: bytes, request_id: int, target: Target, timeout: float, retries: int
    ) -> Any:
        """Send and wait for the matching reply, resending up to `retries` times."""
        dispatcher = await self._dispatcher(":" in target.address)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        dispatcher.pending[request_id] = _Pending((target.address, target.port), future)
        try:
            for _attempt in range(retries + 1):
                await self.limiter.acquire()
                assert dispatcher.transport is not None
                dispatcher.transport.sendto(payload, (target.address, target.port))
                try:
                    return await asyncio.wait_for(asyncio.shield(future), timeout)
                except TimeoutError:
                    continue
            raise SnmpTimeout(f"no answer from {target} after {retries + 1} tries of {timeout:g}s")
        finally:
            dispatcher.pending.pop(request_id, None)
            if not future.done():
                future.cancel()

    def usm_engine(self) -> Any:
        if self._usm is None:
            from pysnmp.hlapi.v3arch import asyncio as hl

            self._usm = hl.SnmpEngine()
        return self._usm

    def session(
        self, target: Target, credential: SnmpCredential, timeout: float = 1.0, retries: int = 1
    ) -> Session:
        if credential.version is SnmpVersion.V3:
            return _UsmSession(self, target, credential, timeout, retries)
        return _CommunitySession(self, target, credential, timeout, retries)

    def close(self) -> None:
        for dispatcher in self._dispatchers.values():
            if dispatcher.transport is not None:
                dispatcher.transport.close()
        self._dispatchers.clear()
        if self._usm is not None:
            dispatcher = self._usm.transport_dispatcher
            if dispatcher is not None:
                dispatcher.close_dispatcher()
            self._usm = None
