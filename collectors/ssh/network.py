"""Network devices over SSH with netmiko: Huawei VRP, H3C Comware, Cisco IOS, Ruijie RGOS.

Platform rules are data: per netmiko device type, the read-only commands to
send and the patterns that read version, model, serial and interfaces out
of their output. The host key is judged first (as for servers); netmiko
then connects with ``ssh_strict`` on, against a known-hosts file holding
only the key just judged, so nothing else can answer in its place.
"""

from __future__ import annotations

import re
import socket
import tempfile
import time
from base64 import b64encode
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import paramiko

from collectors.observation import HostKey, Interface, KeyVerdict, Observation, TargetResult
from collectors.ssh.client import (
    SshCredential,
    SshLimits,
    describe_failure,
    host_key_of,
    judge,
    start_transport,
)
from collectors.targets import Target


@dataclass(frozen=True)
class Platform:
    vendor: str
    os_name: str
    commands: tuple[str, ...]  # version, identity, interfaces
    version: re.Pattern[str]
    model: re.Pattern[str]
    serial: re.Pattern[str]
    interface: re.Pattern[str]


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.MULTILINE)


PLATFORMS: dict[str, Platform] = {
    "huawei": Platform(
        "Huawei",
        "VRP",
        ("display version", "display esn", "display interface brief"),
        _re(r"VRP \(R\) software, Version (?P<v>[\d.]+)"),
        _re(r"^HUAWEI (?P<v>\S+)"),
        _re(r"ESN of (?:slot|device)\s*\d*:\s*(?P<v>\S+)"),
        _re(r"^(?P<v>(?:\w+Ethernet|Eth-Trunk|Vlanif)\S+)\s+(?:\*?down|up)"),
    ),
    "hp_comware": Platform(
        "H3C",
        "Comware",
        ("display version", "display device manuinfo", "display interface brief"),
        _re(r"Comware Software, Version (?P<v>[\d.]+)"),
        _re(r"^DEVICE_NAME\s*:\s*(?P<v>\S+)"),
        _re(r"^DEVICE_SERIAL_NUMBER\s*:\s*(?P<v>\S+)"),
        _re(r"^(?P<v>(?:XGE|GE|FGE|HGE|BAGG|Vlan)\S+)\s+(?:UP|DOWN|ADM)"),
    ),
    "cisco_ios": Platform(
        "Cisco",
        "IOS",
        ("show version", "show inventory", "show ip interface brief"),
        _re(r"Version (?P<v>[\w.()]+),"),
        _re(r"^Model number\s*:\s*(?P<v>\S+)|^PID:\s*(?P<v2>\S+)"),
        _re(r"^System serial number\s*:\s*(?P<v>\S+)|SN:\s*(?P<v2>\S+)"),
        _re(
            r"^(?P<v>\S*(?:Ethernet|Vlan|Port-channel)\S*)\s+\S+\s+\w+\s+\w+\s+(?:up|down|administratively)"
        ),
    ),
    "ruijie_os": Platform(
        "Ruijie",
        "RGOS",
        ("show version", "show ip interface brief"),
        _re(r"RGOS (?P<v>[\w.()]+)"),
        _re(r"System description\s*:.*?\((?P<v>[\w-]+)\)"),
        _re(r"^System serial number\s*:\s*(?P<v>\S+)"),
        _re(r"^(?P<v>(?:\w+Ethernet|VLAN|AggregatePort) ?\d\S*)\s+"),
    ),
}

# What the SNMP fingerprint calls a platform, as netmiko names it.
DEVICE_TYPES = {"VRP": "huawei", "Comware": "hp_comware", "IOS": "cisco_ios", "RGOS": "ruijie_os"}


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    if match is None:
        return None
    return next((value for value in match.groupdict().values() if value), None)


def parse(
    device_type: str, outputs: Mapping[str, str], address: str, credential: str, seen_at: datetime
) -> Observation:
    """Pure: the commands' outputs as an observation of the device."""
    platform = PLATFORMS[device_type]
    text = "\n".join(outputs.get(command, "") for command in platform.commands)
    observation = Observation(
        address=address,
        protocol="ssh",
        credential=credential,
        seen_at=seen_at,
        vendor=platform.vendor,
        device_class="switch",
        os_name=platform.os_name,
        os_version=_first(platform.version, text),
        model=_first(platform.model, text),
        serial_number=_first(platform.serial, text),
        # The SNMP fingerprint tells a switch from a router or a firewall better.
        inferred={"device_class"},
    )
    names = [m["v"] for m in platform.interface.finditer(outputs.get(platform.commands[-1], ""))]
    observation.interfaces = [Interface(index=i, name=n) for i, n in enumerate(names, start=1)]
    return observation


def probe_host_key(sock: socket.socket, limits: SshLimits) -> paramiko.PKey:
    """The server's host key, from a key exchange on `sock` that sends no credential."""
    sock.settimeout(limits.banner)
    transport = start_transport(sock, set(), limits)
    try:
        return transport.get_remote_server_key()
    finally:
        transport.close()


def collect_device(
    target: Target,
    credential: SshCredential,
    device_type: str,
    trusted: Mapping[tuple[str, int], set[HostKey]],
    limits: SshLimits | None = None,
) -> TargetResult:
    """Blocking: version, model, serial and interfaces of one network device."""
    from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException

    limits = limits or SshLimits()
    started = time.monotonic()
    result = TargetResult(target)
    phase = "connect"
    try:
        with socket.create_connection((target.address, target.port), limits.connect) as sock:
            result.responded, phase = True, "banner"
            key = probe_host_key(sock, limits)
        phase = "session"
        result.host_key = host_key_of(key)
        result.verdict = judge(
            result.host_key,
            trusted.get((target.address, target.port), set()),
            credential.trust_on_first_use,
        )
        if result.verdict in (KeyVerdict.UNKNOWN, KeyVerdict.CHANGED):
            result.error = f"host key {result.verdict}: no credential sent"
            return result
        outputs = _read_commands(target, credential, device_type, key, limits)
        result.observation = parse(
            device_type, outputs, target.address, credential.name, datetime.now(UTC)
        )
        result.observation.ssh_host_key = result.host_key.sha256
    except NetmikoAuthenticationException:
        result.error = f"{credential.name}: authentication failed"
    except NetmikoTimeoutException as exc:
        result.error = f"deadline reached in session ({str(exc).splitlines()[0][:200]})"
    except ConnectionRefusedError:
        result.error = "ConnectionRefusedError: nothing listens there"
    except (paramiko.SSHException, EOFError, OSError) as exc:
        result.error = describe_failure(exc, phase, limits)[:300]
    except ValueError as exc:
        result.error = f"{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        result.seconds = time.monotonic() - started
    return result


def _read_commands(
    target: Target,
    credential: SshCredential,
    device_type: str,
    key: paramiko.PKey,
    limits: SshLimits,
) -> dict[str, str]:
    """The platform's read-only commands over netmiko, strict against the judged key only."""
    from netmiko import ConnectHandler

    with tempfile.TemporaryDirectory() as folder:
        known_hosts = Path(folder) / "known_hosts"
        known_hosts.write_text(
            f"[{target.address}]:{target.port} {key.get_name()} "
            f"{b64encode(key.asbytes()).decode()}\n"
        )
        with ConnectHandler(
            device_type=device_type,
            host=target.address,
            port=target.port,
            username=credential.username,
            password=credential.password,
            secret=credential.sudo_password or "",
            ssh_strict=True,  # netmiko's default is off: never here
            system_host_keys=False,
            alt_host_keys=True,
            alt_key_file=str(known_hosts),
            use_keys=False,
            allow_agent=False,
            conn_timeout=limits.connect,
            banner_timeout=limits.banner,
            auth_timeout=limits.auth,
            read_timeout_override=limits.command,
        ) as connection:
            outputs = {
                command: str(connection.send_command(command))
                for command in PLATFORMS[device_type].commands
            }
    return outputs
