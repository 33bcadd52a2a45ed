"""Network devices: platform rules on recorded output; netmiko strict against replaying devices."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from collectors.observation import HostKey, KeyVerdict
from collectors.ssh.client import SshCredential, SshLimits
from collectors.ssh.network import DEVICE_TYPES, PLATFORMS, collect_device, parse
from collectors.targets import Target
from inventory.lab.replay_ssh import ReplayServer as FakeDevice

DATA = Path(__file__).parents[2] / "data" / "network"
PREFIX = {"huawei": "huawei", "hp_comware": "h3c", "cisco_ios": "cisco", "ruijie_os": "ruijie"}
PROMPTS = {
    "huawei": "<SW-01>",
    "hp_comware": "<SW-02>",
    "cisco_ios": "SW-03#",
    "ruijie_os": "SW-04#",
}


def recorded(device_type: str) -> dict[str, str]:
    found = {}
    for command in PLATFORMS[device_type].commands:
        path = DATA / f"{PREFIX[device_type]}_{command.replace(' ', '_')}.txt"
        found[command] = path.read_text()
    return found


EXPECTED = {
    "huawei": ("Huawei", "VRP", "5.170", "S5720-52X-SI-AC", "2102351931DMK4000123", 3),
    "hp_comware": ("H3C", "Comware", "7.1.070", "S6520X-30QC-EI", "210235A3T7H201000012", 2),
    "cisco_ios": ("Cisco", "IOS", "15.2(7)E3", "WS-C2960X-48TS-L", "FOC2012X0AB", 3),
    "ruijie_os": ("Ruijie", "RGOS", "11.4(1)B12P3", "S5750C-28GT4XS-H", "G1NW20A000123", 2),
}


@pytest.mark.parametrize("device_type", sorted(EXPECTED))
def test_platform_rules_read_recorded_output(device_type: str) -> None:
    o = parse(device_type, recorded(device_type), "10.0.0.1", "netops", datetime.now(UTC))
    got = (o.vendor, o.os_name, o.os_version, o.model, o.serial_number, len(o.interfaces))
    assert got == EXPECTED[device_type]


def test_every_snmp_platform_name_has_rules() -> None:
    assert set(DEVICE_TYPES.values()) == set(PLATFORMS)


def credential(device: FakeDevice, **values: object) -> SshCredential:
    return SshCredential("netops", device.username, password=device.password, **values)


@pytest.mark.integration
@pytest.mark.parametrize("device_type", ["huawei", "cisco_ios"])
def test_netmiko_collects_with_strict_host_keys(device_type: str) -> None:
    replies = recorded(device_type)
    with FakeDevice(PROMPTS[device_type], replies) as device:
        target = Target(device.address, device.port)
        result = collect_device(
            target,
            credential(device, trust_on_first_use=True),
            device_type,
            {},
            SshLimits(command=10),
        )
    assert result.verdict is KeyVerdict.FIRST_USE
    assert result.observation is not None, result.error
    assert result.observation.serial_number == EXPECTED[device_type][4]
    assert result.observation.model == EXPECTED[device_type][3]


@pytest.mark.integration
def test_a_device_whose_key_changed_gets_no_password() -> None:
    with FakeDevice(PROMPTS["huawei"], recorded("huawei")) as device:
        trusted = {(device.address, device.port): {HostKey("ecdsa-sha2-nistp256", "00" * 32)}}
        result = collect_device(
            Target(device.address, device.port),
            credential(device, trust_on_first_use=True),
            "huawei",
            trusted,
            SshLimits(),
        )
        assert result.verdict is KeyVerdict.CHANGED
        assert result.observation is None
        assert device.auth_attempts == 0


@pytest.mark.integration
def test_a_wrong_password_is_an_authentication_failure() -> None:
    with FakeDevice(PROMPTS["cisco_ios"], recorded("cisco_ios")) as device:
        wrong = SshCredential("netops", device.username, password="not-it", trust_on_first_use=True)
        result = collect_device(Target(device.address, device.port), wrong, "cisco_ios", {})
    assert result.observation is None
    assert result.error == "netops: authentication failed"


@pytest.mark.integration
def test_the_ssh_pass_sends_recognised_network_devices_to_netmiko() -> None:
    from collectors.ssh.sweep import collect_with_profiles

    with FakeDevice(PROMPTS["hp_comware"], recorded("hp_comware")) as device:
        target = Target(device.address, device.port)
        result = collect_with_profiles(
            target,
            [credential(device, trust_on_first_use=True)],
            {},
            SshLimits(command=10),
            device_type="hp_comware",
        )
    assert result.observation is not None, result.error
    assert (result.observation.vendor, result.observation.serial_number) == (
        "H3C",
        "210235A3T7H201000012",
    )
