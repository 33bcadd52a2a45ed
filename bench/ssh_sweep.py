"""SSH facts from 30 sshd targets: against the slowest single host and against xargs -P ssh.

Each target is OpenSSH's sshd on its own loopback address. Measured in the
same run: every host collected alone (the slowest is the bound), our sweep
of all of them, and `xargs -P N ssh` running the same fact script with
OpenSSH's client. Client CPU per host is the process CPU (ours) or the
children's rusage (ssh).

    .venv/bin/python -m bench.ssh_sweep [--hosts 30] [--remote-seconds 1]
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from collectors.ssh.client import SshCredential, SshLimits, collect_server
from collectors.ssh.script import script
from collectors.ssh.sweep import sweep
from collectors.targets import Target

PORT = 2222


RECORDED = Path(__file__).parents[1] / "tests" / "data" / "ssh" / "centos7-dell.out"


def start_servers(
    count: int, workdir: Path, remote_seconds: float | None
) -> tuple[list[subprocess.Popen[bytes]], Path]:
    key = workdir / "client_key"
    host_key = workdir / "host_key"
    for path in (key, host_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    (workdir / "authorized_keys").write_text(key.with_suffix(".pub").read_text())
    Path("/run/sshd").mkdir(exist_ok=True)
    binary = shutil.which("sshd") or "/usr/sbin/sshd"
    processes = []
    for number in range(count):
        config = workdir / f"sshd_{number}.conf"
        config.write_text(
            f"Port {PORT}\nListenAddress 127.60.0.{number + 1}\nHostKey {host_key}\n"
            f"PidFile {workdir / f'sshd_{number}.pid'}\n"
            f"AuthorizedKeysFile {workdir / 'authorized_keys'}\nPermitRootLogin prohibit-password\n"
            "PasswordAuthentication no\nUsePAM no\nStrictModes no\nMaxStartups 100\n"
            # bash sources ~/.bashrc when sshd starts it (Debian builds it so), and
            # this machine's root .bashrc runs `pyenv init`: 200 ms of CPU per
            # session that no server would spend on our cores. A shell level above
            # one turns that off; the sessions are otherwise what sshd gives anyone.
            "SetEnv SHLVL=1\n"
            + (
                # A remote host: its own time, then its answer; no work on this machine.
                f"ForceCommand sleep {remote_seconds}; cat {RECORDED}\n"
                if remote_seconds is not None
                else ""
            )
        )
        processes.append(subprocess.Popen([binary, "-D", "-f", str(config)]))
    time.sleep(1.0)
    return processes, key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=30)
    parser.add_argument(
        "--remote-seconds",
        type=float,
        default=None,
        help="Servers answer like remote hosts: this long, then a recorded output, "
        "instead of running the script on this machine's cores.",
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ssh-bench-"))
    processes, key = start_servers(args.hosts, workdir, args.remote_seconds)
    user = getpass.getuser()
    credential = SshCredential("bench", user, private_key=key.read_text(), trust_on_first_use=True)
    targets = [Target(f"127.60.0.{n + 1}", PORT) for n in range(args.hosts)]
    try:
        alone = []
        for target in targets:
            start = time.perf_counter()
            result = collect_server(target, credential, {}, SshLimits())
            assert result.observation is not None, result.error
            alone.append(time.perf_counter() - start)
        found: list[int] = []
        cpu_start, start = time.process_time(), time.perf_counter()
        asyncio.run(
            sweep(
                targets,
                [credential],
                {},
                lambda r: found.append(int(r.observation is not None)),
                SshLimits(),
                concurrency=args.hosts,
            )
        )
        ours, our_cpu = time.perf_counter() - start, time.process_time() - cpu_start
        assert sum(found) == args.hosts
        (workdir / "script.sh").write_text(script())
        lines = "\n".join(t.address for t in targets) + "\n"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [
                "xargs",
                "-P",
                str(args.hosts),
                "-I{}",
                "sh",
                "-c",
                "ssh -q -o BatchMode=yes -o StrictHostKeyChecking=no "
                "-o UserKnownHostsFile=/dev/null "
                f"-i {key} -p {PORT} {user}@{{}} sh < {workdir / 'script.sh'} > /dev/null",
            ],
            input=lines,
            text=True,
            check=True,
        )
        theirs = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        their_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    finally:
        for process in processes:
            process.terminate()
        shutil.rmtree(workdir, ignore_errors=True)
    slowest = max(alone)
    print(f"{args.hosts} sshd targets; slowest host alone {slowest:.2f}s")
    if args.remote_seconds is None:
        # The fact script runs here for every server, so the servers' own work
        # shares this machine's cores and bounds any concurrent sweep.
        shared = sum(alone) / (os.cpu_count() or 1)
        print(
            f"all hosts' time alone over {os.cpu_count()} shared cores {shared:.2f}s; "
            f"our sweep {ours / shared:.2f}x of that"
        )
    print(
        f"our sweep: {ours:.2f}s, {ours / slowest:.2f}x the slowest host; "
        f"client CPU {our_cpu / args.hosts * 1000:.0f} ms per host"
    )
    print(
        f"xargs -P {args.hosts} ssh: {theirs:.2f}s, {theirs / slowest:.2f}x; "
        f"client CPU {their_cpu / args.hosts * 1000:.0f} ms per host (ssh processes)"
    )


if __name__ == "__main__":
    main()
