"""Users, roles and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from inventory.domain.choices import Role
from inventory.models.base import Timestamped, Versioned, enum_field, utc_field


class User(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    display_name: str | None = Field(default=None, max_length=128)
    role: Role = enum_field(Role)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    password_hash: str | None = Field(default=None, max_length=255)  # argon2
    is_active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = utc_field()


class ApiToken(Timestamped, table=True):
    """Stored only as a salted hash; `prefix` finds the row without the secret."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=64)
    prefix: str = Field(max_length=16, unique=True, index=True)
    token_hash: str = Field(max_length=255)
    read_only: bool = False
    expires_at: datetime | None = utc_field()
    last_used_at: datetime | None = utc_field()
    revoked_at: datetime | None = utc_field()
