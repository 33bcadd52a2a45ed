"""The README's two commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^(python3 -m venv .venv && .+)$", text, flags=re.MULTILINE)


def test_the_readme_has_a_main_job_and_a_test_command() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    assert commands[0].endswith("inventory demo")
    assert "pytest" in commands[1]


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f'TEST_COMMAND="{readme_commands()[1]}"' in ci
