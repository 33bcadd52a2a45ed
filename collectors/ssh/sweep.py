"""Collect many servers over SSH: a TCP probe first, then a thread per live host.

An address is handed to paramiko (which blocks, so it runs on a thread) only
once a TCP connect to its port has succeeded: within the scan's time-out for
an address nobody has heard from, within the SSH connect deadline for one an
earlier pass (SNMP) heard. Silent addresses cost a non-blocking connect on
the event loop, not a thread, so a /24 with a quarter of it alive takes one
connect time-out plus its slowest host, at the concurrency the user asked for.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from collectors.observation import HostKey, KeyVerdict, TargetResult
from collectors.registry import CollectorSettings, OnResult, Seen
from collectors.ssh.client import SshCredential, SshLimits, collect_server
from collectors.ssh.network import DEVICE_TYPES, collect_device
from collectors.targets import Target

DEFAULT_LIMITS = SshLimits()
NETWORK_CLASSES = frozenset({"switch", "router", "firewall"})
TrustedKeys = Mapping[tuple[str, int], set[HostKey]]


def collect_with_profiles(
    target: Target,
    credentials: Sequence[SshCredential],
    trusted: TrustedKeys,
    limits: SshLimits,
    device_type: str | None = None,
    sock: socket.socket | None = None,
) -> TargetResult:
    """Profiles in order; a host-key problem or a dead host ends the attempt at once.

    With a netmiko `device_type` (from the SNMP fingerprint) the target is a
    network device; otherwise a server running the fact script. `sock`, a
    connection already made, serves the first attempt.
    """
    failures: list[str] = []
    result = TargetResult(target)
    for credential in credentials:
        if device_type is not None:
            if sock is not None:
                sock.close()  # netmiko makes its own connection
            result = collect_device(target, credential, device_type, trusted, limits)
        else:
            result = collect_server(target, credential, trusted, limits, sock)
        sock = None  # each later profile connects again
        if result.observation is not None:
            return result
        failures.append(result.error or "failed")
        if not result.responded or result.verdict in (KeyVerdict.UNKNOWN, KeyVerdict.CHANGED):
            break  # no other profile can fix a closed port or an untrusted key
        if result.host_key is None:
            break  # it never got as far as a key exchange: a tarpit or not SSH
    if sock is not None:
        sock.close()
    if result.responded:
        result.error = "; ".join(failures)
    else:
        result.error = None  # nothing listening: an empty address, not an error
    return result


async def connect(target: Target, timeout: float) -> socket.socket | None:
    """A connected blocking socket, or None when nothing accepted within `timeout` seconds."""
    family = socket.AF_INET6 if ":" in target.address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setblocking(False)
    try:
        async with asyncio.timeout(timeout):
            await asyncio.get_running_loop().sock_connect(sock, (target.address, target.port))
    except (OSError, TimeoutError):  # refused, unreachable or silent: an empty address
        sock.close()
        return None
    sock.setblocking(True)
    return sock


async def sweep(
    targets: Iterable[Target],
    credentials: Sequence[SshCredential],
    trusted: TrustedKeys,
    on_result: Callable[[TargetResult], None],
    limits: SshLimits = DEFAULT_LIMITS,
    concurrency: int = 32,
    device_types: Mapping[str, str] | None = None,
    probe_timeout: float | None = None,
    known_alive: Callable[[str], bool] = lambda address: False,
) -> None:
    """`concurrency` targets in flight: each probed by TCP, then collected on a thread.

    `device_types` maps addresses the SNMP pass recognised as network devices
    to their netmiko device type. `probe_timeout` (default: `limits.connect`)
    bounds the connect to an address `known_alive` does not vouch for.
    """
    kinds = device_types or {}
    loop = asyncio.get_running_loop()
    iterator = iter(targets)
    silent_wait = limits.connect if probe_timeout is None else probe_timeout
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="ssh") as pool:

        async def worker() -> None:
            for target in iterator:  # the shared iterator hands each target out once
                wait = limits.connect if known_alive(target.address) else silent_wait
                sock = await connect(target, wait)
                if sock is None:
                    on_result(TargetResult(target))
                    continue
                on_result(
                    await loop.run_in_executor(
                        pool,
                        collect_with_profiles,
                        target,
                        credentials,
                        trusted,
                        limits,
                        kinds.get(target.address),
                        sock,
                    )
                )

        async with asyncio.TaskGroup() as group:
            for _ in range(max(1, concurrency)):
                group.create_task(worker())


@dataclass(frozen=True)
class SshCollector:
    """SSH as a registered collector; reads which addresses SNMP heard and recognised."""

    credentials: tuple[SshCredential, ...]
    trusted: TrustedKeys = field(default_factory=dict)
    limits: SshLimits = DEFAULT_LIMITS
    concurrency: int = 256
    probe_timeout: float = 1.0
    protocol: str = "ssh"

    @classmethod
    def from_settings(cls, settings: CollectorSettings) -> SshCollector:
        """`extras` may hold `trusted_keys` and `limits` (SshLimits)."""
        credentials = tuple(settings.credentials)
        for credential in credentials:
            if not isinstance(credential, SshCredential):
                raise TypeError(f"not an SSH credential: {type(credential).__name__}")
        extras: Mapping[str, Any] = settings.extras
        return cls(
            credentials,
            extras.get("trusted_keys", {}),
            extras.get("limits", DEFAULT_LIMITS),
            settings.concurrency or cls.concurrency,  # 0: the default of 256
            settings.timeout,
        )

    async def sweep(
        self, targets: Iterable[Target], earlier: Mapping[str, Seen], on_result: OnResult
    ) -> None:
        """Addresses an earlier pass heard get the full connect deadline; the rest a probe."""
        device_types = {}
        for address, seen in earlier.items():
            kind = DEVICE_TYPES.get(seen.os_name or "")
            if kind and seen.device_class in NETWORK_CLASSES:
                device_types[address] = kind
        await sweep(
            targets,
            self.credentials,
            self.trusted,
            on_result,
            self.limits,
            self.concurrency,
            device_types,
            probe_timeout=self.probe_timeout,
            known_alive=lambda address: bool(earlier.get(address, Seen()).protocols),
        )
