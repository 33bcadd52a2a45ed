"""The one module that imports paramiko: connect, check the host key, then log in.

The host key is compared with what the inventory trusts *before* any
credential is sent: an unknown key is refused (or, with trust-on-first-use,
accepted and reported), a changed key blocks the host. Every step has its
own deadline, so a tarpit or a stalled command costs one deadline.
"""

from __future__ import annotations

import hashlib
import io
import logging
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import paramiko

from collectors.observation import HostKey, KeyVerdict, TargetResult
from collectors.ssh.parse import parse
from collectors.ssh.script import script
from collectors.targets import Target

MAX_OUTPUT = 4 << 20  # a server that floods us is cut, not buffered forever

# paramiko's transport thread logs a failed handshake (a tarpit's missing
# banner) at ERROR with a traceback. With no handler anywhere, Python's
# last-resort handler would print it on stderr over our one-line outcome; a
# NullHandler on paramiko's own logger stops that and still lets records
# propagate to whatever handlers the application (or pytest) configures.
logging.getLogger("paramiko").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class SshCredential:
    name: str
    username: str
    password: str | None = field(default=None, repr=False)
    private_key: str | None = field(default=None, repr=False)  # PEM/OpenSSH text
    passphrase: str | None = field(default=None, repr=False)
    sudo_password: str | None = field(default=None, repr=False)  # kept for netmiko's enable
    trust_on_first_use: bool = False
    allow_sudo: bool = False


@dataclass(frozen=True)
class SshLimits:
    connect: float = 5.0
    banner: float = 5.0
    auth: float = 10.0
    command: float = 30.0
    host: float = 60.0


def host_key_of(key: paramiko.PKey) -> HostKey:
    """The plain record of a paramiko key: its type and the SHA-256 of its blob."""
    return HostKey(key.get_name(), hashlib.sha256(key.asbytes()).hexdigest())


def judge(seen: HostKey, trusted: set[HostKey], first_use: bool) -> KeyVerdict:
    """Pure: what to do with a host key given the keys trusted for that address.

    The client only offers the key types it trusts for a known host, so any
    other key from a known host is a changed key.
    """
    if seen in trusted:
        return KeyVerdict.TRUSTED
    if trusted:
        return KeyVerdict.CHANGED
    return KeyVerdict.FIRST_USE if first_use else KeyVerdict.UNKNOWN


def load_private_key(credential: SshCredential) -> paramiko.PKey:
    text = credential.private_key or ""
    for kind in (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey):
        try:
            return kind.from_private_key(io.StringIO(text), password=credential.passphrase)
        except paramiko.SSHException:
            continue
    raise paramiko.SSHException("the private key is not an Ed25519, ECDSA or RSA key")


def collect_server(
    target: Target,
    credential: SshCredential,
    trusted: Mapping[tuple[str, int], set[HostKey]],
    limits: SshLimits | None = None,
    sock: socket.socket | None = None,
) -> TargetResult:
    """Blocking: run the fact script on one server. Never raises for the server's sake.

    `sock` is a connection already made (the sweep's TCP probe); without one
    this connects within `limits.connect`. A step that overruns its deadline
    ends the attempt with "deadline reached in <phase>" (connect, banner,
    auth, command).
    """
    limits = limits or SshLimits()
    started = time.monotonic()
    result = TargetResult(target)
    step = _Step()
    transport: paramiko.Transport | None = None
    try:
        if sock is None:
            sock = socket.create_connection((target.address, target.port), timeout=limits.connect)
        result.responded = True
        step.phase = "banner"
        sock.settimeout(limits.banner)
        transport = start_transport(sock, trusted.get((target.address, target.port), set()), limits)
        result.host_key = host_key_of(transport.get_remote_server_key())
        known = trusted.get((target.address, target.port), set())
        result.verdict = judge(result.host_key, known, credential.trust_on_first_use)
        if result.verdict in (KeyVerdict.UNKNOWN, KeyVerdict.CHANGED):
            result.error = _refusal(result.host_key, result.verdict)
            return result
        step.phase = "auth"
        if credential.private_key:
            transport.auth_publickey(credential.username, load_private_key(credential))
        else:
            transport.auth_password(credential.username, credential.password or "")
        step.phase = "command"
        output = _run(transport, script(credential.allow_sudo), limits, started)
        result.observation = parse(output, target.address, credential.name, datetime.now(UTC))
        result.observation.ssh_host_key = result.host_key.sha256
    except paramiko.AuthenticationException:
        result.error = f"{credential.name}: authentication failed"
    except (paramiko.SSHException, EOFError, OSError) as exc:
        result.error = describe_failure(exc, step.phase, limits)
        if isinstance(exc, ConnectionRefusedError):
            result.responded = False
    finally:
        if transport is not None:
            transport.close()
        elif sock is not None:
            sock.close()
        result.seconds = time.monotonic() - started
    return result


@dataclass
class _Step:
    phase: str = "connect"


def start_transport(
    sock: socket.socket, known: set[HostKey], limits: SshLimits
) -> paramiko.Transport:
    """A client transport past its key exchange, or TimeoutError within `limits.banner`."""
    transport = paramiko.Transport(sock)
    transport.banner_timeout = limits.banner
    transport.handshake_timeout = limits.banner
    transport.auth_timeout = limits.auth
    if known:  # ask for the kind of key we trust, so a mismatch means a change
        transport.get_security_options().key_types = sorted({k.key_type for k in known})
    try:
        transport.start_client(timeout=limits.banner)
        # start_client returns quietly when its own time-out passes first (before
        # the banner read's): the key exchange never finished, a tarpit's mark.
        if not getattr(transport, "initial_kex_done", False):
            raise TimeoutError(f"no key exchange within {limits.banner:g}s")
    except BaseException:
        transport.close()
        raise
    return transport


def _refusal(key: HostKey, verdict: KeyVerdict) -> str:
    what = (
        "unknown: queued for approval; no credential sent"
        if verdict is KeyVerdict.UNKNOWN
        else "not the trusted one: host blocked before login"
    )
    return f"host key {key.key_type} {key.openssh} is {what}"


def describe_failure(exc: BaseException, phase: str, limits: SshLimits) -> str:
    """One line for what went wrong; a time-out names the phase it stopped in."""
    seconds = {"connect": limits.connect, "banner": limits.banner, "auth": limits.auth}.get(
        phase, limits.command
    )
    text = str(exc)
    # paramiko wraps the banner read's time-out in "Error reading SSH protocol
    # banner"; the time-out itself is the exception's context.
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        return f"deadline reached in {phase} ({seconds:g}s)"
    if isinstance(exc, paramiko.SSHException) and "timed out" in text.lower():
        return f"deadline reached in {phase} ({seconds:g}s)"
    if isinstance(exc, EOFError):
        return f"the server closed the connection in {phase}"
    if isinstance(exc, OSError):
        return f"{type(exc).__name__}: {exc.strerror or exc}"
    return f"ssh: {text}"


def _run(transport: paramiko.Transport, text: str, limits: SshLimits, started: float) -> str:
    channel = transport.open_session(timeout=limits.auth)
    channel.settimeout(limits.command)
    channel.exec_command(text)
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() - started > limits.host:
            raise TimeoutError(f"host deadline of {limits.host:g}s")
        chunk = channel.recv(65536)  # raises socket.timeout after `command` seconds of silence
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise paramiko.SSHException(f"output larger than {MAX_OUTPUT} bytes")
    channel.close()
    return b"".join(chunks).decode("utf-8", errors="replace")
