"""SSH collection against OpenSSH on loopback: host keys first, deadlines always."""

from __future__ import annotations

from typing import Any

import pytest

from collectors.observation import HostKey, KeyVerdict
from collectors.ssh.client import SshCredential, SshLimits, collect_server, judge
from collectors.targets import Target
from tests.agents import Tarpit

A = HostKey("ssh-ed25519", "aa" * 32)
B = HostKey("ssh-ed25519", "bb" * 32)


def test_judging_host_keys() -> None:
    assert judge(A, {A}, first_use=False) is KeyVerdict.TRUSTED
    assert judge(B, {A}, first_use=True) is KeyVerdict.CHANGED  # TOFU never overrides a change
    assert judge(A, set(), first_use=False) is KeyVerdict.UNKNOWN
    assert judge(A, set(), first_use=True) is KeyVerdict.FIRST_USE


def credential(server: Any, **values: Any) -> SshCredential:
    return SshCredential(
        "ops-key", server.user, private_key=server.client_key.read_text(), **values
    )


def login_lines(server: Any) -> list[str]:
    log = server.log.read_text(errors="replace")
    return [line for line in log.splitlines() if "Accepted" in line or "Failed" in line]


@pytest.mark.integration
def test_an_unknown_key_is_refused_before_any_credential_is_sent(sshd: Any) -> None:
    result = collect_server(Target(sshd.address, sshd.port), credential(sshd), {})
    assert result.verdict is KeyVerdict.UNKNOWN
    assert result.observation is None
    assert "queued for approval" in (result.error or "")
    assert login_lines(sshd) == []


@pytest.mark.integration
def test_trust_on_first_use_collects_and_reports_the_key(sshd: Any) -> None:
    result = collect_server(
        Target(sshd.address, sshd.port), credential(sshd, trust_on_first_use=True), {}
    )
    assert result.verdict is KeyVerdict.FIRST_USE, result.error
    assert result.observation is not None
    assert result.observation.name
    assert result.observation.os_name
    assert result.observation.memory_mb
    assert result.host_key is not None
    assert result.observation.ssh_host_key == result.host_key.sha256


@pytest.mark.integration
def test_a_trusted_key_collects_and_a_changed_key_blocks_the_host(sshd: Any) -> None:
    target = Target(sshd.address, sshd.port)
    first = collect_server(target, credential(sshd, trust_on_first_use=True), {})
    assert first.host_key is not None
    trusted = {(sshd.address, sshd.port): {first.host_key}}
    again = collect_server(target, credential(sshd), trusted)
    assert again.verdict is KeyVerdict.TRUSTED
    assert again.observation is not None

    sshd.rotate_host_key()
    logins_before = login_lines(sshd)
    blocked = collect_server(target, credential(sshd, trust_on_first_use=True), trusted)
    assert blocked.verdict is KeyVerdict.CHANGED
    assert blocked.observation is None
    assert "blocked before login" in (blocked.error or "")
    assert login_lines(sshd) == logins_before  # the new server never saw an authentication


@pytest.mark.integration
def test_a_wrong_key_is_an_authentication_failure(sshd: Any, tmp_path: Any) -> None:
    import subprocess

    other = tmp_path / "other_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    wrong = SshCredential(
        "stranger", sshd.user, private_key=other.read_text(), trust_on_first_use=True
    )
    result = collect_server(Target(sshd.address, sshd.port), wrong, {})
    assert result.observation is None
    assert result.error == "stranger: authentication failed"


@pytest.mark.integration
def test_a_tarpit_costs_one_banner_deadline() -> None:
    with Tarpit() as pit:
        result = collect_server(
            Target(pit.address, pit.port),
            SshCredential("k", "root", password="x", trust_on_first_use=True),
            {},
            SshLimits(banner=0.5),
        )
    assert result.responded
    assert result.observation is None
    assert result.error is not None
    assert result.host_key is None  # nothing was negotiated, nothing was sent


@pytest.mark.integration
def test_a_command_that_stalls_costs_one_command_deadline(stalling_sshd: Any) -> None:
    result = collect_server(
        Target(stalling_sshd.address, stalling_sshd.port),
        credential(stalling_sshd, trust_on_first_use=True),
        {},
        SshLimits(command=0.5),
    )
    assert result.observation is None
    assert "deadline" in (result.error or "")


def test_nothing_listening_is_a_clear_refusal() -> None:
    from tests.agents import free_tcp_port

    result = collect_server(
        Target("127.0.0.1", free_tcp_port()),
        SshCredential("k", "root", password="x"),
        {},
    )
    assert not result.responded
    assert "ConnectionRefusedError" in (result.error or "")


@pytest.mark.integration
def test_password_login_and_a_wrong_password(sshd: Any) -> None:
    import pwd

    from tests.agents import PASSWORD, PASSWORD_USER

    try:
        pwd.getpwnam(PASSWORD_USER)
    except KeyError:
        pytest.skip(f"no local account {PASSWORD_USER!r} (.ci/run creates it)")
    target = Target(sshd.address, sshd.port)
    good = SshCredential("ops-pw", PASSWORD_USER, password=PASSWORD, trust_on_first_use=True)
    result = collect_server(target, good, {})
    assert result.observation is not None, result.error
    assert result.observation.name
    bad = SshCredential("ops-pw", PASSWORD_USER, password="wrong", trust_on_first_use=True)
    assert collect_server(target, bad, {}).error == "ops-pw: authentication failed"
