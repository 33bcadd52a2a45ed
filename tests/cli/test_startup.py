"""`inventory --help` answers at once: a command's dependencies load when it runs.

Each check runs in a fresh interpreter, since this test process has long
imported everything. No timing is asserted (the machine's load decides that);
what is checked is the cause of slowness: which libraries were imported.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# The network stack, the web stack, the database stack and the sheets: each
# costs tenths of a second to import and none is needed to print help.
# (pydantic is not listed: Typer itself loads it to check an option's value.)
HEAVY = (
    "pysnmp",
    "pyasn1",
    "paramiko",
    "netmiko",
    "snmpsim",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "openpyxl",
    "argon2",
    "cryptography",
    "collectors",
    "api",
    "inventory.services",
    "inventory.db",
    "inventory.models",
    "inventory.lab",
)

PROBE = """
import json, sys
argv = sys.argv[1:]
from inventory.cli.main import app
if argv:
    try:
        app(argv, prog_name="inventory")
    except SystemExit:
        pass
heavy = json.loads(sys.stdin.read())
loaded = sorted(m for m in heavy if m in sys.modules)
sys.stdout.write("\\n" + json.dumps(loaded))
"""


def _loaded_after(*argv: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        input=json.dumps(HEAVY),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded: list[str] = json.loads(result.stdout.rsplit("\n", 1)[-1])
    return loaded


def test_importing_the_cli_loads_no_network_web_or_database_library() -> None:
    assert _loaded_after() == []


@pytest.mark.parametrize(
    "argv",
    [("--help",), ("scan", "--help"), ("serve", "--help"), ("import", "--help"), ("--version",)],
    ids=" ".join,
)
def test_help_loads_no_network_web_or_database_library(argv: tuple[str, ...]) -> None:
    assert _loaded_after(*argv) == []


def test_a_command_that_runs_loads_what_it_needs() -> None:
    # The probe is not vacuous: a command that runs loads its libraries.
    assert "sqlalchemy" in _loaded_after("settings", "show", "--json")
