"""The `inventory` command: every command has --help; errors are one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.main import get_command

from inventory import __version__
from inventory.cli.main import app
from tests.cli.runner import run


def all_command_paths() -> list[list[str]]:
    root = get_command(app)
    paths: list[list[str]] = []

    def walk(command: typer.core.TyperGroup | object, prefix: list[str]) -> None:
        paths.append(prefix)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*prefix, name])

    walk(root, [])
    return paths


def test_version() -> None:
    assert run("--version") == (0, f"inventory {__version__}\n")


@pytest.mark.parametrize("path", all_command_paths(), ids=lambda p: " ".join(p) or "inventory")
def test_every_command_has_help(path: list[str]) -> None:
    code, output = run(*path, "--help")
    assert code == 0
    assert "Usage" in output


@pytest.fixture
def database(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {"INVENTORY_DATABASE_URL": database_url}


@pytest.mark.integration
def test_demo_loads_the_ledger_discovers_the_lab_and_a_rerun_adds_nothing(
    database: dict[str, str],
) -> None:
    code, output = run("demo", env=database)
    assert code == 0, output
    assert "资产总数" in output
    assert "市教育局" in output
    assert "有物无账" in output
    assert "值错误" in output  # lab servers without SMBIOS say so (issue 19)
    code, output = run("summary", "--json", env=database)
    first_total = json.loads(output)["total_assets"]
    assert first_total == 300 + 8  # the ledger plus the eight unregistered lab devices

    code, output = run("demo", "--json", env=database)
    assert code == 0, output
    scan = json.loads(output)["scan"]
    no_smbios = [t for t, errors in scan["value_errors"].items() if "no SMBIOS" in errors[0]]
    assert len(no_smbios) == 2  # the two Kylin servers (device-tree ARM boards)
    assert scan["created"] == 0
    assert scan["updated"] == 0
    # 44 SNMP agents and 12 Linux servers over SSH: 56 answers from 44 machines (each
    # server's two answers are combined before identity is resolved: one row each)
    assert scan["responding"] == 56
    assert scan["unchanged"] == 44
    assert json.loads(run("summary", "--json", env=database)[1])["total_assets"] == first_total
    code, output = run("audit", "verify", env=database)  # P7: the demo's trail is one chain
    assert code == 0, output
    assert "audit chain intact" in output


@pytest.mark.integration
def test_a_scan_too_slow_for_the_tables_leaves_no_orphan_asset(
    database: dict[str, str],
) -> None:
    """P2, identity rule ADDRESS_NAME: thin SNMP answers never become 有物无账 assets.

    With a 0.1 s timeout and no retry many agents give sysName and snmpEngineID
    but no serial or MAC. The ledger knows these machines at their 10.x
    addresses, so only the name ties them: a review item, not a new asset. A
    normal scan afterwards finds the same 308 machines, no orphan among them.
    """
    code, output = run("demo", "--json", "--timeout", "0.1", "--retries", "0", env=database)
    assert code == 0, output
    code, output = run("demo", "--json", env=database)
    assert code == 0, output  # what the slow scan missed entirely is created now, once
    assert json.loads(run("summary", "--json", env=database)[1])["total_assets"] == 300 + 8
    code, output = run("review", "list", "--json", env=database)
    assert code == 0, output
    for item in json.loads(output):  # what the thin answers left for a person, if any
        assert item["kind"] == "identity_conflict"
        assert "identity evidence" in item["reason"] or "address and name" in item["reason"]


def test_a_database_behind_the_schema_is_refused_with_the_fix(tmp_path: Path) -> None:
    code, output = run(
        "summary", env={"INVENTORY_DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"}
    )
    assert code == 1
    assert "inventory db upgrade" in output


def test_db_upgrade_on_an_empty_file(tmp_path: Path) -> None:
    env = {"INVENTORY_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}
    assert run("db", "upgrade", env=env)[0] == 0
    _code, output = run("db", "current", "--json", env=env)
    assert json.loads(output)["up_to_date"] is True


def test_a_bad_setting_is_one_clear_line(tmp_path: Path) -> None:
    code, output = run("summary", env={"INVENTORY_AUDIT_RETENTION_DAYS": "7"})
    assert code == 1
    assert "INVENTORY_AUDIT_RETENTION_DAYS" in output
    assert "Traceback" not in output


def test_import_export_and_asset_commands(database: dict[str, str], tmp_path: Path) -> None:
    assert run("sample", env=database)[0] == 0
    exported = tmp_path / "assets.xlsx"
    code, output = run("export", "--kind", "assets", str(exported), "--json", env=database)
    assert json.loads(output)["rows"] == 300
    code, output = run("import", str(exported), "--kind", "assets", "--json", env=database)
    assert code == 0
    assert json.loads(output)["counts"]["unchanged"] == 300
    code, output = run("asset", "list", "--mode", "exempt", "--json", env=database)
    listed = json.loads(output)
    exempt = listed["items"]
    assert listed["total"] == len(exempt) == 18
    assert {a["department"] for a in exempt} == {"D-BMJ"}
    code, output = run(
        "asset", "mode", exempt[0]["uid"], "cloud", "--reason", "试图上云", env=database
    )
    assert code == 1
    assert "P1" in output


def test_an_import_with_bad_rows_exits_1_and_lists_them(
    database: dict[str, str], tmp_path: Path
) -> None:
    assert run("db", "upgrade", env=database)[0] == 0
    source = tmp_path / "bad.csv"
    source.write_text("序列号,购置日期\nSN1,2020-02-30\n", encoding="utf-8")
    code, output = run("import", str(source), "--kind", "assets", env=database)
    assert code == 1
    assert "2020-02-30" in output
    assert "nothing was written" in output


def test_the_audit_trail_shows_who_changed_what(database: dict[str, str]) -> None:
    assert run("sample", env=database)[0] == 0
    code, output = run("audit", "list", "--limit", "5", "--json", env=database)
    events = json.loads(output)
    assert len(events) == 5
    assert all(e["actor"] == "system:sample" for e in events)
    code, output = run("audit", "purge", "--json", env=database)
    assert code == 0
    assert json.loads(output)["purged"] == 0
