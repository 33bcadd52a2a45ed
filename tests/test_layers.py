"""The layers of docs/architecture.md hold, and import-linter catches a breach.

CI runs ``lint-imports`` on the repository; these tests show that its
contracts are not vacuous: a copy of the code with one forbidden import added
fails the matching contract, and the unchanged copy passes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("inventory", "collectors", "api")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy_of_the_code(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "static", "templates"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH first, so the copy shadows the installed packages.
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_code_as_it_is_keeps_every_contract(tmp_path: Path) -> None:
    result = _lint_imports(_copy_of_the_code(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden", "contract"),
    [
        ("collectors/targets.py", "import inventory.settings", "Collectors talk to the network"),
        ("inventory/domain/choices.py", "import sqlalchemy", "The domain is pure rules"),
        ("inventory/domain/labels/words.py", "import inventory.db", "The domain is pure rules"),
        ("inventory/models/base.py", "import inventory.settings", "Tables read no settings"),
        (
            "inventory/db/engine.py",
            "import inventory.services.audit",
            "Tables and the engine never call a service",
        ),
        ("api/etag.py", "import collectors.targets", "The web tier reaches the network"),
        ("inventory/services/queries.py", "import api.deps", "Layers"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, forbidden: str, contract: str
) -> None:
    tree = _copy_of_the_code(tmp_path)
    source = tree / module
    source.write_text(source.read_text() + f"\n{forbidden}  # a breach, on purpose\n")
    result = _lint_imports(tree)
    assert result.returncode != 0
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(line.startswith(contract) for line in broken), result.stdout
