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
from collectors.targets import Target

DEFAULT_LIMITS = SshLimits()


def collect_with_profiles(
    target: Target,
    credentials: Sequence[SshCredential],
    trusted: Mapping[tuple[str, int], set[HostKey]],
    limits: SshLimits,
) -> SshResult:
    """Profiles in order; a host-key problem or a dead host ends the attempt at once."""
    failures: list[str] = []
    result = SshResult(target)
    for credential in credentials:
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
) -> None:
    """paramiko blocks, so each host gets a thread from a pool of `concurrency`."""
    loop = asyncio.get_running_loop()
    iterator = iter(targets)
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="ssh") as pool:

        async def worker() -> None:
            for target in iterator:
                on_result(
                    await loop.run_in_executor(
                        pool, collect_with_profiles, target, credentials, trusted, limits
                    )
                )

        async with asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                group.create_task(worker())
