"""The operator's SSH workflow: a key profile, an unknown host key, approval, collection."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from tests.cli.runner import run

SENTINEL = "Sentinel-Passphrase-91be"


def test_a_password_profile_needs_the_password_from_the_environment(env: dict[str, str]) -> None:
    run("db", "upgrade", env=env)
    secrets = {"PW": SENTINEL, "EN": SENTINEL + "-enable"}
    code, output = run(
        "credential",
        "add-ssh",
        "pw",
        "--user",
        "ops",
        "--secret-env",
        "PW",
        "--enable-env",
        "EN",
        env={**env, **secrets},
    )
    assert code == 0, output
    code, output = run("credential", "list", "--json", env=env)
    assert json.loads(output)[0]["kind"] == "ssh_password"
    assert SENTINEL not in output


def test_an_unreadable_key_file_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    run("db", "upgrade", env=env)
    bad = tmp_path / "not_a_key"
    bad.write_text("hello")
    code, output = run(
        "credential", "add-ssh", "k", "--user", "ops", "--key-file", str(bad), env=env
    )
    assert code == 1
    assert "cannot be read" in output


@pytest.mark.integration
def test_unknown_key_then_approval_then_facts(
    env: dict[str, str], sshd: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # paramiko logs at DEBUG: nothing there may show a secret
    import subprocess

    key = tmp_path / "sealed_key"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", SENTINEL, "-f", str(key)], check=True
    )
    sshd.workdir.joinpath("authorized_keys").write_text(key.with_suffix(".pub").read_text())
    run("db", "upgrade", env=env)
    code, output = run(
        "credential",
        "add-ssh",
        "ops",
        "--user",
        sshd.user,
        "--key-file",
        str(key),
        "--secret-env",
        "PASS",
        env={**env, "PASS": SENTINEL},
    )
    assert code == 0, output
    target = "127.0.0.1"
    code, output = run("scan", target, "-p", "ops", "--ssh-port", str(sshd.port), "--json", env=env)
    assert code == 0, output
    assert json.loads(output)["created"] == 0  # refused: the key is unknown
    code, output = run("hostkey", "list", "--json", env=env)
    (pending,) = json.loads(output)
    assert pending["status"] == "pending"
    code, output = run("hostkey", "approve", str(pending["id"]), "--reason", "指纹已核对", env=env)
    assert code == 0, output
    code, output = run("scan", target, "-p", "ops", "--ssh-port", str(sshd.port), "--json", env=env)
    assert json.loads(output)["created"] == 1
    outputs = [output]
    for command in (
        ("asset", "list", "--json"),
        ("audit", "list", "--json", "--limit", "500"),
        ("credential", "list", "--json"),
        ("review", "list", "--all", "--json"),
    ):
        outputs.append(run(*command, env=env)[1])
    assert not any(SENTINEL in text for text in outputs)
    assert SENTINEL not in caplog.text
    assert "paramiko" in caplog.text  # the logs were captured, and were searched


@pytest.mark.integration
def test_a_tarpit_that_never_sends_a_banner_is_shown_as_a_target_error(
    env: dict[str, str],
) -> None:
    """Text mode says what --json says: the error count and the target's error line."""
    import socket

    run("db", "upgrade", env=env)
    secrets = {"PW": SENTINEL}
    code, output = run(
        "credential",
        "add-ssh",
        "lab",
        "--user",
        "ops",
        "--secret-env",
        "PW",
        env={**env, **secrets},
    )
    assert code == 0, output
    with socket.socket() as tarpit:  # accepts TCP, never speaks SSH
        tarpit.bind(("127.40.0.9", 0))
        tarpit.listen(4)
        port = tarpit.getsockname()[1]
        code, output = run("scan", "127.40.0.9", "-p", "lab", "--ssh-port", str(port), env=env)
    assert code == 0, output
    assert "errors 1" in output
    assert "target errors on 1 host(s)" in output
    assert f"127.40.0.9:{port}: deadline reached in banner" in output
