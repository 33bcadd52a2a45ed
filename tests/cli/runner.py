"""Running the `inventory` command in-process, as the CLI tests do."""

from __future__ import annotations

from typer.testing import CliRunner

from inventory.cli.main import app

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Exit code and output of `inventory ARGS` with `env` added to the environment."""
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output
