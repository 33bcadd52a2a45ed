"""What the CLI tests share: a migrated-on-demand database and a key file per test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "INVENTORY_DATABASE_URL": database_url,
        "INVENTORY_SECRET_KEY_FILE": str(tmp_path / "secret.key"),
    }
