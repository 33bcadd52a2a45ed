"""Results are plain data: they survive JSON unchanged, whoever made them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from collectors.observation import (
    Disk,
    Filesystem,
    HostKey,
    Interface,
    KeyVerdict,
    Observation,
    TargetResult,
    from_json,
    openssh_fingerprint,
    to_json,
)
from collectors.targets import Target

SEEN = datetime(2026, 11, 22, 8, 0, 3, 250000, tzinfo=UTC)


def full_result() -> TargetResult:
    observation = Observation(
        address="10.21.0.5",
        protocol="ssh",
        credential="ops-key",
        seen_at=SEEN,
        name="jyj-srv-01",
        os_name="Kylin Linux Advanced Server",
        macs=["3c:4f:0e:b1:8c:a7"],
        interfaces=[Interface(2, "eth0", mac="3c:4f:0e:b1:8c:a7", addresses=["10.21.0.5"])],
        disks=[Disk("sda", 558, "PERC H730P Mini", "6d09466")],
        filesystems=[Filesystem("/", 49.1, 37.5)],
        cpu_load_pct=3.5,
        is_virtual=False,
        value_errors=["smbios: not readable without root"],
        inferred={"os_version", "os_name"},
    )
    return TargetResult(
        Target("10.21.0.5", 22),
        observation,
        responded=True,
        seconds=0.42,
        host_key=HostKey("ssh-ed25519", "ab" * 32),
        verdict=KeyVerdict.FIRST_USE,
    )


def test_a_result_survives_a_json_round_trip_unchanged() -> None:
    for result in (
        full_result(),
        TargetResult(Target("10.21.0.6", 161)),  # silent
        TargetResult(Target("10.21.0.7", 22), responded=True, error="deadline reached in banner"),
    ):
        wire = json.dumps(to_json(result))
        assert from_json(json.loads(wire)) == result


def test_json_of_a_result_is_plain_values_only() -> None:
    data = to_json(full_result())
    assert data["observation"]["seen_at"] == "2026-11-22T08:00:03.250000Z"
    assert sorted(data["observation"]["inferred"]) == ["os_name", "os_version"]
    assert data["host_key"] == {"key_type": "ssh-ed25519", "sha256": "ab" * 32}
    assert data["verdict"] == "first_use"


def test_what_is_not_a_result_is_refused() -> None:
    with pytest.raises(ValidationError):
        from_json({"target": {"address": "10.0.0.1"}})  # no port


def test_a_fingerprint_reads_as_openssh_prints_it() -> None:
    # The SHA-256 of nothing, which OpenSSH would print for an empty blob.
    empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert openssh_fingerprint(empty) == "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
    assert HostKey("ssh-ed25519", empty).openssh.endswith("FU")  # no "=" padding
