"""A newcomer's mistakes get one line that says what to do, never a traceback."""

from __future__ import annotations

from pathlib import Path

from tests.cli.runner import run


def one_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


def test_an_export_to_a_missing_folder_is_one_line(env: dict[str, str], tmp_path: Path) -> None:
    run("db", "upgrade", env=env)
    code, output = run(
        "export", str(tmp_path / "no" / "such" / "a.xlsx"), "--kind", "assets", env=env
    )
    assert code == 1
    assert "the folder" in one_line(output)
    assert "does not exist" in output


def test_a_postgresql_url_without_its_driver_names_the_extra_to_install(
    env: dict[str, str],
) -> None:
    url = "postgresql+pg8000://inventory@127.0.0.1/inventory"  # pg8000 is never installed
    code, output = run("--database-url", url, "asset", "list", env=env)
    assert code == 1
    line = one_line(output)
    assert "pg8000 is not installed" in line
    assert "consolidation-inventory[postgres]" in line


def test_a_sheet_imported_as_the_wrong_kind_says_which_kind_it_looks_like(
    env: dict[str, str], tmp_path: Path
) -> None:
    sheet = tmp_path / "departments.csv"
    sheet.write_text("部门编码,部门名称\nD1,市教育局\n", encoding="utf-8")
    run("db", "upgrade", env=env)
    code, output = run("import", str(sheet), "--kind", "assets", env=env)
    assert code == 1
    line = one_line(output)
    assert "looks like a department sheet (--kind departments), not an asset sheet" in line
    assert "import it with --kind departments" in line


def test_an_asset_sheet_imported_as_departments_is_named_with_its_article(
    env: dict[str, str], tmp_path: Path
) -> None:
    sheet = tmp_path / "ex.csv"
    sheet.write_text("asset_tag,hostname,serial\nA1,core-sw,SN1\n", encoding="utf-8")
    run("db", "upgrade", env=env)
    code, output = run("import", str(sheet), "--kind", "departments", env=env)
    assert code == 1
    line = one_line(output)
    assert "ex.csv looks like an asset sheet (--kind assets)" in line
    assert "a assets" not in line


def test_a_config_file_with_a_toml_syntax_error_is_named_with_its_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('stale_after_days = 3\ntime_zone = "UTC" x\n', encoding="utf-8")
    code, output = run("--config", str(config), "summary", env=env)
    assert code == 1
    line = one_line(output)
    assert f"config file {config} is not valid TOML" in line
    assert "line 2" in line


def test_a_config_file_cut_off_mid_value_names_the_file(
    env: dict[str, str], tmp_path: Path
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("time_zone = [\n", encoding="utf-8")
    code, output = run("--config", str(config), "summary", env=env)
    assert code == 1
    line = one_line(output)
    assert str(config) in line
    assert "end of document" in line


def test_a_list_setting_that_is_not_json_names_its_variable(env: dict[str, str]) -> None:
    code, output = run("settings", "show", env={**env, "INVENTORY_SCAN_EXCLUSIONS": "not-json"})
    assert code == 1
    line = one_line(output)
    assert "INVENTORY_SCAN_EXCLUSIONS" in line
    assert "must be a JSON list" in line
    assert "EnvSettingsSource" not in line
