"""Collectors are found by name; the order of passes is data a plan holds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

import pytest

from collectors.credentials import SnmpCredential, SnmpVersion
from collectors.observation import Observation, TargetResult
from collectors.registry import (
    COLLECTORS,
    Collector,
    CollectorSettings,
    OnResult,
    PluginNotRegistered,
    Registry,
    Seen,
)
from collectors.snmp.collector import SnmpCollector
from collectors.ssh.client import SshCredential
from collectors.ssh.sweep import SshCollector
from collectors.targets import Target


def test_snmp_and_ssh_are_registered_and_built_from_settings() -> None:
    assert COLLECTORS.names() == ["snmp", "ssh"]
    snmp = COLLECTORS.get("snmp")(
        CollectorSettings((SnmpCredential("ro", SnmpVersion.V2C, community="c"),), timeout=0.5)
    )
    assert isinstance(snmp, SnmpCollector)
    assert snmp.options.timeout == 0.5
    ssh = COLLECTORS.get("ssh")(
        CollectorSettings((SshCredential("k", "ops", password="x"),), concurrency=300)
    )
    assert isinstance(ssh, SshCollector)
    assert ssh.concurrency == 300  # what the user asked for, not a silent cap


def test_a_credential_of_the_wrong_protocol_is_refused() -> None:
    with pytest.raises(TypeError, match="not an SSH credential"):
        COLLECTORS.get("ssh")(
            CollectorSettings((SnmpCredential("ro", SnmpVersion.V2C, community="c"),))
        )


def test_unknown_names_and_name_clashes_are_refused() -> None:
    registry = Registry()

    class Echo:
        protocol = "echo"

        async def sweep(
            self, targets: Iterable[Target], earlier: Mapping[str, Seen], on_result: OnResult
        ) -> None:
            for target in targets:
                on_result(TargetResult(target, responded=True))

    def echo(settings: CollectorSettings) -> Collector:
        return Echo()

    registry.register("echo", echo)
    registry.register("echo", echo)  # the same factory again is harmless
    with pytest.raises(ValueError, match="registered already"):
        registry.register("echo", lambda settings: Echo())
    with pytest.raises(PluginNotRegistered, match="'telnet'"):
        registry.get("telnet")


def test_what_one_pass_heard_is_kept_for_the_next() -> None:
    observation = Observation(
        "10.0.0.1", "snmp", "ro", datetime.now(UTC), os_name="VRP", device_class="switch"
    )
    seen = Seen().with_result("snmp", TargetResult(Target("10.0.0.1", 161), observation, True))
    assert seen == Seen(frozenset({"snmp"}), "VRP", "switch")
    assert Seen().with_result("snmp", TargetResult(Target("10.0.0.2", 161))) == Seen()
