"""The one module that imports paramiko: connect, check the host key, then log in.

The host key is compared with what the inventory trusts *before* any
credential is sent: an unknown key is refused (or, with trust-on-first-use,
accepted and reported), a changed key blocks the host. Every step has its
own deadline, so a tarpit or a stalled command costs one deadline.
"""

from __future__ import annotations

import hashlib
import io
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

import paramiko

from collectors.observation import TargetResult
from collectors.ssh.parse import parse
from collectors.ssh.script import script
from collectors.targets import Target

MAX_OUTPUT = 4 << 20  # a server that floods us is cut, not buffered forever


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


class KeyVerdict(StrEnum):
    TRUSTED = "trusted"  # the key the inventory trusts
    FIRST_USE = "first_use"  # unknown, accepted because the profile says so
    UNKNOWN = "unknown"  # unknown: refused until an operator approves it
    CHANGED = "changed"  # differs from the trusted key: blocked, alert


@dataclass(frozen=True)
class HostKey:
    key_type: str
    sha256: str  # hex digest of the key blob

    @classmethod
    def of(cls, key: paramiko.PKey) -> HostKey:
        return cls(key.get_name(), hashlib.sha256(key.asbytes()).hexdigest())


@dataclass
class SshResult(TargetResult):
    host_key: HostKey | None = None
    verdict: KeyVerdict | None = None


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
) -> SshResult:
    """Blocking: run the fact script on one server. Never raises for the server's sake."""
    limits = limits or SshLimits()
    started = time.monotonic()
    result = SshResult(target)
    transport: paramiko.Transport | None = None
    try:
        sock = socket.create_connection((target.address, target.port), timeout=limits.connect)
        result.responded = True
        sock.settimeout(limits.banner)
        transport = paramiko.Transport(sock)
        transport.banner_timeout = limits.banner
        transport.handshake_timeout = limits.banner
        transport.auth_timeout = limits.auth
        known = trusted.get((target.address, target.port), set())
        if known:  # ask for the kind of key we trust, so a mismatch means a change
            transport.get_security_options().key_types = sorted({k.key_type for k in known})
        transport.start_client(timeout=limits.banner)
        result.host_key = HostKey.of(transport.get_remote_server_key())
        result.verdict = judge(result.host_key, known, credential.trust_on_first_use)
        if result.verdict in (KeyVerdict.UNKNOWN, KeyVerdict.CHANGED):
            result.error = (
                f"host key {result.host_key.key_type} SHA256 {result.host_key.sha256[:16]}… is "
                + (
                    "unknown: queued for approval; no credential sent"
                    if result.verdict is KeyVerdict.UNKNOWN
                    else "not the trusted one: host blocked before login"
                )
            )
            return result
        if credential.private_key:
            transport.auth_publickey(credential.username, load_private_key(credential))
        else:
            transport.auth_password(credential.username, credential.password or "")
        output = _run(transport, script(credential.allow_sudo), limits, started)
        result.observation = parse(output, target.address, credential.name, datetime.now(UTC))
        result.observation.ssh_host_key = result.host_key.sha256
    except paramiko.AuthenticationException:
        result.error = f"{credential.name}: authentication failed"
    except TimeoutError as exc:
        result.error = f"deadline reached ({exc or 'timed out'})"
    except paramiko.SSHException as exc:
        result.error = f"ssh: {exc}"
    except EOFError:
        result.error = "the server closed the connection"
    except OSError as exc:
        result.responded = result.responded and not isinstance(exc, ConnectionRefusedError)
        result.error = f"{type(exc).__name__}: {exc.strerror or exc}"
    finally:
        if transport is not None:
            transport.close()
        result.seconds = time.monotonic() - started
    return result


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
