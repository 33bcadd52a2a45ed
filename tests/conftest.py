"""Fixtures: a fresh, migrated database per test, on SQLite or PostgreSQL.

The backend follows INVENTORY_DATABASE_URL as the test run starts: unset
means SQLite; a postgresql:// URL names the server (and maintenance
database) on which each test gets its own database, cloned from a template
migrated once per run. On CI (CI=true) a skipped test is a failure.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from sqlmodel import Session

from inventory.db.engine import make_engine, session_scope
from inventory.db.migrate import upgrade
from inventory.services.context import Actor

ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BACKEND_URL = os.environ.get("INVENTORY_DATABASE_URL", "")
PG_DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if ON_CI else "dev")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if ON_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped on CI, where nothing may be skipped: {report.longrepr}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With INVENTORY_TEST_DATABASE_ONLY=1, keep only the tests that open a database.

    Every database a test sees comes through the `backend` fixture (the environment
    is cleaned for each test), so a test without it runs the same whatever
    INVENTORY_DATABASE_URL says. CI's second pass, on PostgreSQL, uses this so those
    tests are not run twice; they are deselected, not skipped.
    """
    if os.environ.get("INVENTORY_TEST_DATABASE_ONLY") != "1":
        return
    kept = [item for item in items if "backend" in getattr(item, "fixturenames", ())]
    deselected = [item for item in items if "backend" not in getattr(item, "fixturenames", ())]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's settings, config file or data directory."""
    for name in list(os.environ):
        if name.startswith("INVENTORY_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


class Backend:
    """Hands out fresh migrated databases, cheaply, by copying a template."""

    _counter = itertools.count()

    def __init__(self, url: str, workdir: Path) -> None:
        self.url = url
        self.workdir = workdir
        self.is_postgres = url.startswith("postgresql")
        self.template = f"inv_template_{os.getpid()}_{next(self._counter)}"
        self.created: list[str] = []
        if self.is_postgres:
            self._admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
            with self._admin.connect() as connection:
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {self.template}")
                connection.exec_driver_sql(f"CREATE DATABASE {self.template}")
            template_engine = make_engine(self._url_for(self.template))
            upgrade(template_engine)
            template_engine.dispose()
        else:
            self.template_file = workdir / "template.sqlite3"
            engine = make_engine(f"sqlite:///{self.template_file}")
            upgrade(engine)
            engine.dispose()

    def _url_for(self, database: str) -> str:
        return sa.make_url(self.url).set(database=database).render_as_string(hide_password=False)

    def fresh_url(self) -> str:
        number = next(self._counter)
        if self.is_postgres:
            name = f"inv_test_{os.getpid()}_{number}"
            with self._admin.connect() as connection:
                connection.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE {self.template}")
            self.created.append(name)
            return self._url_for(name)
        target = self.workdir / f"db{number}.sqlite3"
        shutil.copyfile(self.template_file, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        if self.is_postgres:
            name = sa.make_url(url).database
            with self._admin.connect() as connection:
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def close(self) -> None:
        if self.is_postgres:
            with self._admin.connect() as connection:
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)")
            self._admin.dispose()


def postgres_available(url: str = PG_DEFAULT_URL) -> bool:
    try:
        engine = make_engine(url)
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.OperationalError:
        return False
    return True


@pytest.fixture(scope="session")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    instance = Backend(BACKEND_URL or "sqlite://", tmp_path_factory.mktemp("databases"))
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def postgres_backend(
    backend: Backend, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    """PostgreSQL, whatever the main backend: for tests of PostgreSQL-only behaviour."""
    if backend.is_postgres:
        yield backend
        return
    url = PG_DEFAULT_URL
    if not postgres_available(url):
        pytest.skip(f"PostgreSQL not reachable at {url}")
    instance = Backend(url, tmp_path_factory.mktemp("pg"))
    yield instance
    instance.close()


@pytest.fixture
def database_url(backend: Backend) -> Iterator[str]:
    url = backend.fresh_url()
    yield url
    backend.drop(url)


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: sa.Engine) -> Iterator[Session]:
    with session_scope(engine) as session:
        yield session


@pytest.fixture
def actor() -> Actor:
    return Actor("user:tester")


@pytest.fixture(scope="session")
def snmpd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """net-snmp's agent on a free loopback port (CI installs it; skipped locally without)."""
    from tests.agents import RealSnmpd

    _require_net_snmp()
    agent = RealSnmpd(tmp_path_factory.mktemp("snmpd")).start()
    yield agent
    agent.stop()


def _require_net_snmp() -> None:
    if not (shutil.which("snmpd") or Path("/usr/sbin/snmpd").exists()) or not shutil.which(
        "snmpget"
    ):
        pytest.skip("net-snmp (snmpd, snmpget) is not installed")


def _require_sshd() -> None:
    if not (shutil.which("sshd") or Path("/usr/sbin/sshd").exists()) or not shutil.which(
        "ssh-keygen"
    ):
        pytest.skip("OpenSSH server (sshd, ssh-keygen) is not installed")


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[object]:
    """OpenSSH's sshd on a free loopback port (CI installs it; skipped locally without)."""
    from tests.agents import RealSshd

    _require_sshd()
    server = RealSshd(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def stalling_sshd(tmp_path: Path) -> Iterator[object]:
    """An sshd whose every command hangs: a server that stalls mid-command."""
    from tests.agents import RealSshd

    _require_sshd()
    server = RealSshd(tmp_path, force_command="sleep 600").start()
    yield server
    server.stop()
