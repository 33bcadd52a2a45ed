"""Collect many servers over SSH: a bounded pool of threads, one result per target."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from collectors.ssh.client import (
    HostKey,
    KeyVerdict,
    SshCredential,
    SshLimits,
    SshResult,
    collect_server,
)
from collectors.ssh.network import collect_device
from collectors.targets import Target

DEFAULT_LIMITS = SshLimits()


def collect_with_profiles(
    target: Target,
    credentials: Sequence[SshCredential],
    trusted: Mapping[tuple[str, int], set[HostKey]],
    limits: SshLimits,
    device_type: str | None = None,
) -> SshResult:
    """Profiles in order; a host-key problem or a dead host ends the attempt at once.

    With a netmiko `device_type` (from the SNMP fingerprint) the target is a
    network device; otherwise a server running the fact script.
    """
    failures: list[str] = []
    result = SshResult(target)
    for credential in credentials:
        if device_type is not None:
            result = collect_device(target, credential, device_type, trusted, limits)
        else:
            result = collect_server(target, credential, trusted, limits)
        if result.observation is not None:
            return result
        failures.append(result.error or "failed")
        if not result.responded or result.verdict in (KeyVerdict.UNKNOWN, KeyVerdict.CHANGED):
            break  # no other profile can fix a closed port or an untrusted key
        if result.host_key is None:
            break  # it never got as far as a key exchange: a tarpit or not SSH
    if result.responded:
        result.error = "; ".join(failures)
    else:
        result.error = None  # nothing listening: an empty address, not an error
    return result


async def sweep(
    targets: Iterable[Target],
    credentials: Sequence[SshCredential],
    trusted: Mapping[tuple[str, int], set[HostKey]],
    on_result: Callable[[SshResult], None],
    limits: SshLimits = DEFAULT_LIMITS,
    concurrency: int = 32,
    device_types: Mapping[str, str] | None = None,
) -> None:
    """paramiko blocks, so each host gets a thread from a pool of `concurrency`.

    `device_types` maps addresses the SNMP pass recognised as network devices
    to their netmiko device type.
    """
    kinds = device_types or {}
    loop = asyncio.get_running_loop()
    iterator = iter(targets)
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="ssh") as pool:

        async def worker() -> None:
            for target in iterator:
                on_result(
                    await loop.run_in_executor(
                        pool,
                        collect_with_profiles,
                        target,
                        credentials,
                        trusted,
                        limits,
                        kinds.get(target.address),
                    )
                )

        async with asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                group.create_task(worker())
