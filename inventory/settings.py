"""Settings: explicit arguments > environment (INVENTORY_*) > config file > defaults.

Built by :func:`load_settings`, never at import time, so every command and
test chooses its own sources.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from pydantic_settings import (
    SettingsError as SourceError,
)

# The legal minimum is a domain rule; re-exported for the settings' callers.
from inventory.domain.policy import MIN_AUDIT_RETENTION_DAYS as MIN_AUDIT_RETENTION_DAYS

ENV_PREFIX = "INVENTORY_"
CONFIG_ENV = "INVENTORY_CONFIG"


class SettingsError(ValueError):
    """A setting has a bad value; the message names the setting and its source."""


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("consolidation-inventory", appauthor=False))


def default_config_file() -> Path:
    configured = os.environ.get(CONFIG_ENV)
    if configured:
        return Path(configured)
    return Path(platformdirs.user_config_dir("consolidation-inventory", appauthor=False)) / (
        "config.toml"
    )


class Settings(BaseSettings):
    """Every knob of the service, with its environment variable INVENTORY_<NAME>."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", frozen=True)

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means an SQLite file in data_dir.",
    )
    audit_retention_days: int = Field(default=366, ge=MIN_AUDIT_RETENTION_DAYS)
    sample_retention_days: int = Field(default=400, ge=1)
    stale_after_days: int = Field(default=30, ge=1)
    secret_key_file: Path | None = Field(
        default=None,
        description="Key for credentials at rest; default data_dir/secret.key.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="The credentials' Fernet key itself, instead of the key file; never shown.",
    )
    sql_echo: bool = False
    scan_exclusions: list[str] = Field(
        default_factory=list,
        description="Networks no scan may send a packet to, besides classified assets.",
    )

    import_max_rows: int = Field(
        default=500_000,
        ge=1,
        description="Most data rows one import may hold; a bigger sheet is refused "
        "before anything is validated or written.",
    )
    import_max_cells: int = Field(
        default=20_000_000,
        ge=1,
        description="Most cells (rows x columns) one import may hold, including what an "
        "XLSX claims in its dimension before it is read.",
    )

    forwarded_allow_ips: list[str] = Field(
        default_factory=list,
        description="Proxies (addresses or networks) whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed; empty: nobody's (no proxy in front).",
    )
    secure_cookies: bool = Field(
        default=False,
        description="Mark every cookie Secure: set it when the service is reached only "
        "over HTTPS, as behind a TLS-terminating nginx.",
    )

    time_zone: str = Field(
        default="Asia/Shanghai",
        description="IANA time zone in which pages, the CLI and reports show times.",
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from inventory.domain.localtime import zone

        zone(value)  # a ValueError names the zone
        return value

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be an sqlite:// or postgresql:// URL")
        return value

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'inventory.sqlite3'}"

    @property
    def resolved_secret_key_file(self) -> Path:
        return self.secret_key_file or self.data_dir / "secret.key"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))


def load_settings(config_file: Path | None = None, **explicit: Any) -> Settings:
    """Build settings; a bad value raises :class:`SettingsError` naming the setting."""
    path = config_file or default_config_file()
    if config_file is not None and not path.is_file():
        raise SettingsError(f"config file {path} does not exist")

    class _FromFile(Settings):
        model_config = SettingsConfigDict(toml_file=path if path.is_file() else None)

    try:
        return _FromFile(**explicit)
    except ValidationError as exc:
        raise SettingsError(_describe(exc, path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(_describe_toml(exc, path)) from None
    except SourceError as exc:  # an environment value that is not the JSON a list needs
        raise SettingsError(_describe_source(exc, path)) from None


def _describe_toml(exc: tomllib.TOMLDecodeError, path: Path) -> str:
    """One line naming the config file and the line of a TOML syntax error."""
    message = str(exc)
    if "(at end of document)" in message:  # tomllib gives no line for it: the last one
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        message = f"{message}, line {max(len(lines), 1)}"
    return f"config file {path} is not valid TOML: {message}"


def _describe_source(exc: SourceError, path: Path) -> str:
    """pydantic-settings' 'error parsing value for field "x"', naming the variable."""
    found = re.search(r'field "(\w+)"', str(exc))
    if found is None:
        return str(exc)
    name = found.group(1)
    return (
        f"setting {name!r} (env {ENV_PREFIX}{name.upper()}, or {name} in {path}): "
        'must be a JSON list, e.g. ["10.0.0.0/8", "192.168.1.1"]'
    )


def _describe(exc: ValidationError, path: Path) -> str:
    problems = []
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"])
        problems.append(
            f"setting {name!r} (env {ENV_PREFIX}{name.upper()}, or {name} in {path}): "
            f"{error['msg']}"
        )
    return "; ".join(problems)
