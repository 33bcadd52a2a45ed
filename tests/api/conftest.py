"""A running app on the test database, a small two-department estate, and one user per role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from api.app import create_app
from inventory.db.engine import session_scope
from inventory.domain.choices import DeviceClass, MachineRoomKind, Mode, Role
from inventory.models import MachineRoom
from inventory.services import records, users
from inventory.services.context import Actor
from inventory.settings import load_settings
from tests import factories

PASSWORD = "Correct-Horse-42"
ROLES = tuple(Role)


@dataclass
class Estate:
    """What the web tests act on: ids and uids, and a token per role (department users of D1)."""

    client: TestClient
    engine: sa.Engine
    tokens: dict[str, str] = field(default_factory=dict)
    own_asset: str = ""  # in D1
    other_asset: str = ""  # in D2
    own_staff: int = 0
    other_staff: int = 0

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def get(self, who: str, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, headers=self.headers(who), **kwargs)

    def login(self, username: str, password: str = PASSWORD) -> Any:
        """Log in through the login page, as a browser does; the client keeps the cookie."""
        form = self.client.get("/login")
        csrf = re.search(r'name="login_csrf" value="([^"]+)"', form.text)
        assert csrf is not None
        return self.client.post(
            "/login",
            data={"username": username, "password": password, "login_csrf": csrf.group(1)},
            follow_redirects=False,
        )

    def form_token(self, path: str = "/") -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.client.get(path).text)
        assert found is not None
        return found.group(1)


def build_estate(engine: sa.Engine) -> dict[str, object]:
    actor = Actor("user:fixture")
    with session_scope(engine) as session:
        d1 = factories.department(session, actor, "D1", name="一局", name_en="First Bureau")
        d2 = factories.department(session, actor, "D2", name="二局", name_en="Second Bureau")
        own = factories.asset(
            session,
            actor,
            name="d1-web-01",
            department_code="D1",
            device_class=DeviceClass.SERVER,
            vendor="Huawei",
            addresses=["10.1.0.5"],
        )
        factories.asset(
            session,
            actor,
            name="d1-db-01",
            department_code="D1",
            device_class=DeviceClass.VIRTUAL_MACHINE,
            vendor="VMware",
            addresses=["10.1.0.6"],
            mode=Mode.CLOUD,
        )
        other = factories.asset(
            session,
            actor,
            name="d2-secret-app",
            department_code="D2",
            device_class=DeviceClass.SERVER,
            vendor="Inspur",
            addresses=["10.2.0.5"],
        )
        for code, department in (("R1", d1), ("R2", d2)):
            records.create(
                session,
                actor,
                MachineRoom(
                    code=code,
                    name=f"{department.name}机房",
                    kind=MachineRoomKind.DEPARTMENT_ROOM,
                    department_id=department.id,
                ),
            )
        own_staff = factories.staff(session, actor, d1.id, "S1", maintains=[own])
        other_staff = factories.staff(session, actor, d2.id, "S2", maintains=[other])
        tokens = {}
        for role in ROLES:
            user = users.create_user(
                session,
                actor,
                str(role),
                PASSWORD,
                role,
                "D1" if role is Role.DEPARTMENT else None,
                on_server=True,  # the auditor is minted on the server, as in production
            )
            tokens[str(role)] = users.issue_token(session, actor, user, "tests")[1]
        d2_user = users.create_user(session, actor, "department2", PASSWORD, Role.DEPARTMENT, "D2")
        tokens["department2"] = users.issue_token(session, actor, d2_user, "tests")[1]
        ops = users.find_user(session, "ops")
        tokens["ops-read-only"] = users.issue_token(
            session, actor, ops, "read-only", read_only=True
        )[1]
        return {
            "tokens": tokens,
            "own_asset": own.uid,
            "other_asset": other.uid,
            "own_staff": own_staff.id,
            "other_staff": other_staff.id,
        }


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2, at its cheapest settings: eight accounts per test add up."""
    monkeypatch.setattr(
        users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def estate(engine: sa.Engine, tmp_path: Path) -> Iterator[Estate]:
    settings = load_settings(data_dir=tmp_path / "data")
    app = create_app(settings, engine)
    built = build_estate(engine)
    with TestClient(app) as client:
        yield Estate(client, engine, **built)
