"""`inventory credential`, `inventory scan` and `inventory review` from the command line."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.agents import COMMUNITY
from tests.cli.runner import run

SENTINEL = "Sentinel-Community-4c1d"


def test_a_secret_is_read_from_the_environment_never_from_argv(env: dict[str, str]) -> None:
    assert run("db", "upgrade", env=env)[0] == 0
    code, output = run(
        "credential", "add", "ro", "--kind", "snmp_v2c", "--secret-env", "NOPE", env=env
    )
    assert code == 1
    assert "NOPE is not set" in output
    code, output = run(
        "credential",
        "add",
        "ro",
        "--kind",
        "snmp_v2c",
        "--secret-env",
        "COMM",
        env={**env, "COMM": SENTINEL},
    )
    assert code == 0, output
    code, output = run("credential", "list", "--json", env=env)
    assert [p["name"] for p in json.loads(output)] == ["ro"]
    assert SENTINEL not in output
    code, output = run(
        "credential",
        "add",
        "ro2",
        "--kind",
        "snmp_v2c",
        env=env,
    )
    assert code != 0  # no terminal to prompt on: refused, nothing stored


def test_a_weak_v3_profile_is_refused_with_the_reason(env: dict[str, str]) -> None:
    run("db", "upgrade", env=env)
    code, output = run(
        "credential",
        "add",
        "old",
        "--kind",
        "snmp_v3",
        "--user",
        "u",
        "--auth-protocol",
        "MD5",
        "--secret-env",
        "A",
        "--priv-env",
        "P",
        env={**env, "A": "authkey123", "P": "privkey123"},
    )
    assert code == 1
    assert "allow_legacy" in output


@pytest.mark.integration
def test_scan_the_real_agent_twice_and_find_no_secret_anywhere(
    env: dict[str, str], snmpd: Any
) -> None:
    run("db", "upgrade", env=env)
    run(
        "credential",
        "add",
        "wrong",
        "--kind",
        "snmp_v2c",
        "--secret-env",
        "C",
        env={**env, "C": SENTINEL},
    )
    run(
        "credential",
        "add",
        "lab",
        "--kind",
        "snmp_v2c",
        "--secret-env",
        "C",
        env={**env, "C": COMMUNITY},
    )
    target = f"{snmpd.address}:{snmpd.port}"
    outputs = []
    for _ in range(2):
        code, output = run(
            "scan", target, "-p", "wrong", "-p", "lab", "--timeout", "0.5", "--json", env=env
        )
        assert code == 0, output
        outputs.append(json.loads(output))
    assert outputs[0]["created"] == 1
    assert (outputs[1]["created"], outputs[1]["unchanged"]) == (0, 1)
    every_output = [json.dumps(outputs)]
    for command in (
        ("audit", "list", "--json", "--limit", "500"),
        ("asset", "list", "--json"),
        ("settings", "show"),
        ("review", "list", "--json"),
        ("credential", "list"),
    ):
        code, output = run(*command, env=env)
        assert code == 0, output
        every_output.append(output)
    assert not any(SENTINEL in text or COMMUNITY in text for text in every_output)


def test_scan_refuses_an_unknown_profile_and_a_bad_target(env: dict[str, str]) -> None:
    run("db", "upgrade", env=env)
    run(
        "credential", "add", "lab", "--kind", "snmp_v2c", "--secret-env", "C", env={**env, "C": "x"}
    )
    code, output = run("scan", "10.0.0.1", "-p", "absent", env=env)
    assert code == 1
    assert "absent" in output
    code, output = run("scan", "10.0.0.300", "-p", "lab", env=env)
    assert code == 1
    assert "not an IP address" in output


def test_review_list_starts_empty(env: dict[str, str]) -> None:
    run("db", "upgrade", env=env)
    code, output = run("review", "list", "--json", env=env)
    assert (code, json.loads(output)) == (0, [])


def test_scan_json_has_the_same_keys_after_success_failure_or_nothing(
    env: dict[str, str], snmpd: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collectors.registry import COLLECTORS, CollectorSettings
    from tests.agents import free_udp_port

    run("db", "upgrade", env=env)
    run(
        "credential", "add", "lab", "--kind", "snmp_v2c", "--secret-env", "C",
        env={**env, "C": COMMUNITY},
    )  # fmt: skip
    fast = ("-p", "lab", "--timeout", "0.3", "--retries", "0", "--json")
    code, found = run("scan", f"{snmpd.address}:{snmpd.port}", *fast, env=env)
    assert code == 0, found
    code, empty = run("scan", f"127.0.0.1:{free_udp_port()}", *fast, env=env)
    assert code == 0, empty

    class Broken:
        protocol = "snmp"

        async def sweep(self, *args: object) -> None:
            raise RuntimeError("the collector broke")

    def broken(settings: CollectorSettings) -> Broken:
        return Broken()

    monkeypatch.setitem(COLLECTORS._available, "snmp", broken)
    code, failed = run("scan", f"{snmpd.address}:{snmpd.port}", *fast, env=env)
    assert code == 1
    outcomes = [
        json.loads(found),
        json.loads(empty),
        json.loads(failed[failed.index("{") : failed.rindex("}") + 1]),
    ]
    assert [o["status"] for o in outcomes] == ["succeeded", "succeeded", "failed"]
    assert (outcomes[0]["created"], outcomes[1]["probed"], outcomes[2]["probed"]) == (1, 1, 0)
    assert outcomes[2]["error"] == "RuntimeError: the collector broke"
    assert [o["resting"] for o in outcomes] == [{}, {}, {}]  # the key, empty when none rests
    assert "error: scan failed: RuntimeError: the collector broke" in failed
    assert "Traceback" not in failed
    assert set(outcomes[0]) == set(outcomes[1]) == set(outcomes[2])
