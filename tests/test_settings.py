"""Settings: explicit > environment > config file > default; bad values name the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory.settings import SettingsError, load_settings


def test_defaults_keep_the_audit_trail_at_least_six_months(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.audit_retention_days >= 184
    assert settings.resolved_database_url.startswith("sqlite:///")
    assert settings.resolved_database_url.endswith("inventory.sqlite3")


def test_explicit_beats_environment_beats_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        "stale_after_days = 10\nsample_retention_days = 20\naudit_retention_days = 200\n"
    )
    monkeypatch.setenv("INVENTORY_STALE_AFTER_DAYS", "11")
    monkeypatch.setenv("INVENTORY_SAMPLE_RETENTION_DAYS", "21")
    settings = load_settings(config, stale_after_days=12)
    assert (
        settings.stale_after_days,
        settings.sample_retention_days,
        settings.audit_retention_days,
    ) == (12, 21, 200)


def test_the_config_file_can_come_from_inventory_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "elsewhere.toml"
    config.write_text('database_url = "postgresql://inv@db/inventory"\n')
    monkeypatch.setenv("INVENTORY_CONFIG", str(config))
    assert load_settings().database_url == "postgresql://inv@db/inventory"


def test_a_bad_value_names_the_setting_and_where_to_set_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INVENTORY_AUDIT_RETENTION_DAYS", "30")
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert "audit_retention_days" in str(error.value)
    assert "INVENTORY_AUDIT_RETENTION_DAYS" in str(error.value)
    assert "184" in str(error.value)


def test_an_unknown_database_scheme_is_refused() -> None:
    with pytest.raises(SettingsError, match="database_url"):
        load_settings(database_url="mysql://x")


def test_a_missing_config_file_named_explicitly_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")


def test_an_unknown_key_in_the_config_file_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("colour = 'red'\n")
    with pytest.raises(SettingsError, match="colour"):
        load_settings(config)
