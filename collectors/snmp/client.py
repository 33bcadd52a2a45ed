"""The SNMP transport: requests out, plain values back.

SNMPv1 and v2c go through a single UDP socket per process, encoded and
decoded by :mod:`fastber` (pyasn1, in :mod:`generalber`, for what it
refuses), so thousands of targets share one socket, one request-id space and
one rate limit (:mod:`pacing`). SNMPv3 needs the USM machinery, so it goes
through one pysnmp ``SnmpEngine`` per process. Nothing from a reply reaches
the caller as a pysnmp object; pysnmp is imported here and in generalber only.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pyasn1.error import PyAsn1Error

from collectors.credentials import SnmpCredential, SnmpVersion
from collectors.snmp.errors import (
    ERROR_NAMES,
    ErrorStatus,
    MalformedReply,
    SnmpError,
    SnmpTimeout,
    TooBig,
)
from collectors.snmp.fastber import (
    GET,
    GET_BULK,
    GET_NEXT,
    NotFastPath,
    Response,
    decode_response,
    encode_request,
)
from collectors.snmp.generalber import decode_general, plain
from collectors.snmp.pacing import RateLimiter
from collectors.snmp.types import Missing, Oid, SnmpValue, VarBind
from collectors.targets import Target

__all__ = [
    "ErrorStatus",
    "MalformedReply",
    "RateLimiter",
    "Session",
    "SnmpEngine",
    "SnmpError",
    "SnmpTimeout",
    "TooBig",
]

MAX_DATAGRAM = 65_507


class Session(Protocol):
    """What walks and collectors need of an SNMP agent."""

    version: SnmpVersion

    async def get(self, oids: Sequence[Oid]) -> list[VarBind]: ...

    async def bulk(self, oids: Sequence[Oid], max_repetitions: int) -> list[VarBind]: ...


# --- v1 / v2c over one socket ------------------------------------------------------


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
                reply = decode_general(data)
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
    answered: bool = field(init=False, default=False)  # its requests then jump the queue

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
            payload, request_id, self.target, self.timeout, self.retries, urgent=self.answered
        )
        self.answered = True
        if reply.error_status:
            if reply.error_status == 1:
                raise TooBig("agent answered tooBig")
            name = ERROR_NAMES.get(reply.error_status, "error")
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
            raise ErrorStatus(int(status), int(index), ERROR_NAMES.get(int(status), "error"))
        return [(Oid(tuple(_name_of(name))), plain(value)) for name, value in varbinds]

    async def get(self, oids: Sequence[Oid]) -> list[VarBind]:
        return await self._call("get_cmd", oids)

    async def bulk(self, oids: Sequence[Oid], max_repetitions: int) -> list[VarBind]:
        return await self._call("bulk_cmd", oids, 0, max_repetitions)


def _name_of(name: Any) -> Any:
    # With lookupMib off pysnmp hands back an ObjectName; with it on, an ObjectIdentity.
    return name.get_oid() if hasattr(name, "get_oid") else name


def _expire(future: asyncio.Future[Any]) -> None:
    if not future.done():
        future.set_result(None)  # None: this try timed out


# --- the engine ---------------------------------------------------------------------


class SnmpEngine:
    """One per process: the v1/v2c socket, the v3 engine and the packet-rate limit."""

    def __init__(self, packets_per_second: float = 2000.0) -> None:
        self.limiter = RateLimiter(packets_per_second)
        self.packets_sent = 0  # v1/v2c datagrams, retries included (benchmarks count them)
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
        self,
        payload: bytes,
        request_id: int,
        target: Target,
        timeout: float,
        retries: int,
        urgent: bool = False,
    ) -> Any:
        """Send and wait for the matching reply, resending up to `retries` times.

        Each try waits `timeout` seconds on a future of its own (one timer, no
        task); a reply to an earlier try of the same request still counts.
        Raises SnmpTimeout, or MalformedReply when the sender sent garbage.
        """
        dispatcher = await self._dispatcher(":" in target.address)
        loop = asyncio.get_running_loop()
        address = (target.address, target.port)
        try:
            for _attempt in range(retries + 1):
                await self.limiter.acquire(urgent)
                future: asyncio.Future[Any] = loop.create_future()
                dispatcher.pending[request_id] = _Pending(address, future)
                assert dispatcher.transport is not None
                dispatcher.transport.sendto(payload, address)
                self.packets_sent += 1
                timer = loop.call_later(timeout, _expire, future)
                try:
                    reply = await future
                finally:
                    timer.cancel()
                if reply is not None:
                    return reply
            raise SnmpTimeout(f"no answer from {target} after {retries + 1} tries of {timeout:g}s")
        finally:
            dispatcher.pending.pop(request_id, None)

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
