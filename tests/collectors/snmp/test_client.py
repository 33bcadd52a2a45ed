"""The transport against net-snmp's real agent and against hostile ones, on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from pysnmp.proto import api

from collectors.credentials import CredentialError, SnmpCredential, SnmpVersion
from collectors.snmp import oids
from collectors.snmp.client import (
    ErrorStatus,
    MalformedReply,
    SnmpEngine,
    SnmpError,
    SnmpTimeout,
)
from collectors.snmp.collect import SweepOptions, collect_target, sweep
from collectors.snmp.types import Missing, Oid
from collectors.targets import Target
from tests.agents import COMMUNITY, V3_AUTH, V3_PRIV, V3_USER, HostileAgent, answer, requested

pytestmark = pytest.mark.integration
V2C = SnmpCredential("v2c", SnmpVersion.V2C, community=COMMUNITY)
V1 = SnmpCredential("v1", SnmpVersion.V1, community=COMMUNITY)
V3 = SnmpCredential("v3", SnmpVersion.V3, user=V3_USER, auth_key=V3_AUTH, priv_key=V3_PRIV)
V2 = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]


def run(coroutine: Callable[[SnmpEngine], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        engine = SnmpEngine()
        try:
            return await coroutine(engine)
        finally:
            engine.close()

    return asyncio.run(main())


@pytest.mark.parametrize("credential", [V1, V2C, V3], ids=["v1", "v2c", "v3-sha256-aes"])
def test_the_real_agent_answers_every_version(snmpd: Any, credential: SnmpCredential) -> None:
    target = Target(snmpd.address, snmpd.port)

    async def probe(engine: SnmpEngine) -> Any:
        session = engine.session(target, credential, timeout=2, retries=1)
        return await session.get([oids.SYS_NAME, Oid.parse("1.3.6.1.2.1.1.99.0")])

    (name, name_value), (_missing, missing_value) = run(probe)
    assert name == oids.SYS_NAME
    assert name_value == b"lab-snmpd"
    assert missing_value in (Missing.NO_SUCH_OBJECT, Missing.NO_SUCH_INSTANCE)


@pytest.mark.parametrize("credential", [V1, V2C, V3], ids=["v1", "v2c", "v3"])
def test_a_full_collection_from_the_real_agent(snmpd: Any, credential: SnmpCredential) -> None:
    result = run(
        lambda engine: collect_target(
            engine, Target(snmpd.address, snmpd.port), [credential], SweepOptions(timeout=2)
        )
    )
    observation = result.observation
    assert observation is not None, result.error
    assert observation.name == "lab-snmpd"
    assert observation.location == "数据局机房 A-01"
    assert observation.device_class in ("server", "virtual_machine")
    assert observation.snmp_engine_id
    assert observation.interfaces
    assert observation.memory_mb
    assert observation.credential == credential.name
    assert observation.value_errors == []


def test_a_wrong_community_is_silence_and_the_next_profile_is_tried(snmpd: Any) -> None:
    wrong = SnmpCredential("wrong", SnmpVersion.V2C, community="not-the-community")
    result = run(
        lambda engine: collect_target(
            engine,
            Target(snmpd.address, snmpd.port),
            [wrong, V2C],
            SweepOptions(timeout=0.3, retries=0),
        )
    )
    assert result.observation is not None
    assert result.observation.credential == "v2c"


def test_a_wrong_v3_key_is_an_error_not_a_hang(snmpd: Any) -> None:
    wrong = SnmpCredential(
        "v3", SnmpVersion.V3, user=V3_USER, auth_key="wrong-key-123", priv_key=V3_PRIV
    )

    async def probe(engine: SnmpEngine) -> Any:
        return await engine.session(
            Target(snmpd.address, snmpd.port), wrong, timeout=0.5, retries=0
        ).get([oids.SYS_NAME])

    with pytest.raises(SnmpError):
        run(probe)


def test_weak_v3_settings_need_the_legacy_flag() -> None:
    with pytest.raises(CredentialError, match="weaker than authPriv"):
        SnmpCredential(
            "old",
            SnmpVersion.V3,
            user="u",
            auth_key="k" * 8,
            priv_key="p" * 8,
            auth_protocol="MD5",
            priv_protocol="DES",
        )
    with pytest.raises(CredentialError, match="weaker"):
        SnmpCredential(
            "nopriv", SnmpVersion.V3, user="u", auth_key="k" * 8, security_level="authNoPriv"
        )
    legacy = SnmpCredential(
        "old",
        SnmpVersion.V3,
        user="u",
        auth_key="k" * 8,
        priv_key="p" * 8,
        auth_protocol="MD5",
        priv_protocol="DES",
        allow_legacy=True,
    )
    assert "k" * 8 not in repr(legacy)


def get_sysname(agent: HostileAgent, timeout: float = 0.3, retries: int = 1) -> Any:
    async def probe(engine: SnmpEngine) -> Any:
        session = engine.session(Target(agent.address, agent.port), V2C, timeout, retries)
        return await session.get([oids.SYS_NAME])

    return run(probe)


def test_garbage_is_a_malformed_reply_without_waiting_for_the_timeout() -> None:
    with (
        HostileAgent(lambda data, addr: [b"\x30\x82\xff\xffgarbage"]) as agent,
        pytest.raises(MalformedReply, match="undecodable reply"),
    ):
        get_sysname(agent, timeout=5)


def test_a_truncated_reply_is_malformed() -> None:
    with (
        HostileAgent(lambda data, addr: [answer(data)[:-3]]) as agent,
        pytest.raises(MalformedReply),
    ):
        get_sysname(agent)


def test_a_reply_with_someone_elses_request_id_is_ignored() -> None:
    with HostileAgent(lambda data, addr: [answer(data, request_id=4242)]) as agent:
        with pytest.raises(SnmpTimeout):
            get_sysname(agent, timeout=0.2, retries=1)
        assert agent.received == 2  # one try and one retry, nothing more


def test_a_dropped_first_datagram_is_recovered_by_the_retry() -> None:
    seen: list[bytes] = []

    def drop_first(data: bytes, addr: tuple[str, int]) -> list[bytes]:
        seen.append(data)
        return (
            [] if len(seen) == 1 else [answer(data, [(str(oids.SYS_NAME), V2.OctetString("ok"))])]
        )

    with HostileAgent(drop_first) as agent:
        assert get_sysname(agent, timeout=0.2, retries=1)[0][1] == b"ok"


def test_error_status_is_reported_with_its_name() -> None:
    with (
        HostileAgent(lambda data, addr: [answer(data, error_status=5)]) as agent,
        pytest.raises(ErrorStatus, match="genErr"),
    ):
        get_sysname(agent)


def hostile_walker(data: bytes, addr: tuple[str, int]) -> list[bytes]:
    """Answers the probe properly, then every table request with the same OID."""
    kind, asked = requested(data)
    if kind == "GetRequestPDU":
        values = {
            str(oids.SYS_DESCR): V2.OctetString(b"Linux hostile 5.10.0-amd64 #1 SMP"),
            str(oids.SYS_OBJECT_ID): V2.Integer(7),  # the wrong type
            str(oids.SYS_NAME): V2.OctetString(b"\xff\xfe<script>alert(1)</script>"),
            str(oids.SNMP_ENGINE_ID): V2.OctetString(bytes.fromhex("80001f8805deadbeef")),
        }
        return [answer(data, [(o, values.get(o, V2.NoSuchObject())) for o in asked])]
    return [answer(data, [(asked[0], V2.OctetString("again"))] * 5)]


def test_a_hostile_agent_costs_its_own_time_and_the_good_ones_are_complete(snmpd: Any) -> None:
    silent = Target("127.0.0.2", snmpd.port + 1)  # nobody listens there
    results: dict[str, Any] = {}
    with (
        HostileAgent(hostile_walker, "127.0.0.3") as walker,
        HostileAgent(lambda data, addr: [b"\x00" * 50], "127.0.0.4") as garbage,
    ):
        targets = [
            Target(snmpd.address, snmpd.port),
            Target(walker.address, walker.port),
            Target(garbage.address, garbage.port),
            silent,
        ]
        asyncio.run(
            sweep(
                targets,
                [V2C],
                SweepOptions(timeout=0.5, retries=1, concurrency=4),
                lambda r: results.__setitem__(str(r.target), r),
            )
        )
        assert garbage.received == 1  # refused at once, not retried

    good = results[str(targets[0])]
    assert good.observation is not None
    assert good.observation.interfaces

    looping = results[str(targets[1])]
    assert looping.observation is not None  # what it did answer is kept
    assert (looping.observation.name or "").startswith("0x")
    assert looping.observation.snmp_engine_id == "80001f8805deadbeef"
    assert any("non-increasing" in e for e in looping.observation.value_errors)

    broken = results[str(targets[2])]
    assert broken.observation is None
    assert broken.responded
    assert "undecodable" in (broken.error or "")

    nobody = results[str(silent)]
    assert nobody.silent
    assert nobody.error is None
