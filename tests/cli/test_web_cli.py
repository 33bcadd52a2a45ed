"""Accounts from the command line: the first admin, tokens shown once, password resets."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlmodel import select

from inventory.db.engine import make_engine, session_scope
from inventory.models import AuditEvent, User
from inventory.services import logins, users
from tests.cli.runner import run

STRONG = "First-Admin-2026!"


def test_there_is_no_default_account_until_an_admin_is_added(env: dict[str, str]) -> None:
    run("db", "upgrade", env=env)
    engine = make_engine(env["INVENTORY_DATABASE_URL"])
    with session_scope(engine) as session:
        assert session.exec(select(User)).all() == []
    code, output = run(
        "user",
        "add",
        "root-admin",
        "--role",
        "admin",
        "--password-env",
        "PW",
        env={**env, "PW": STRONG},
    )
    assert code == 0, output
    assert STRONG not in output
    with session_scope(engine) as session:
        user = session.exec(select(User)).one()
        assert user.password_hash is not None
        assert user.password_hash.startswith("$argon2id$")
        assert STRONG not in str(session.exec(select(AuditEvent.after)).all())
    engine.dispose()


def test_a_weak_password_or_a_missing_department_is_refused_clearly(env: dict[str, str]) -> None:
    code, output = run(
        "user", "add", "li", "--role", "ops", "--password-env", "PW", env={**env, "PW": "123456"}
    )
    assert code == 1
    assert "12 characters" in output
    code, output = run(
        "user",
        "add",
        "li",
        "--role",
        "department",
        "--password-env",
        "PW",
        env={**env, "PW": STRONG},
    )
    assert code == 1
    assert "needs a department" in output
    code, output = run("user", "add", "li", "--role", "ops", "--password-env", "UNSET", env=env)
    assert code == 1
    assert "UNSET" in output


def test_a_token_is_printed_once_and_works_only_as_issued(env: dict[str, str]) -> None:
    run("user", "add", "ops1", "--role", "ops", "--password-env", "PW", env={**env, "PW": STRONG})
    code, output = run("user", "token", "ops1", "--read-only", "--days", "3", "--json", env=env)
    assert code == 0, output
    issued = json.loads(output)
    assert issued["read_only"] is True
    engine = make_engine(env["INVENTORY_DATABASE_URL"])
    with session_scope(engine) as session:
        found = users.verify_token(session, issued["token"])
        assert found is not None
        assert (found.principal.username, found.principal.read_only) == ("ops1", True)
        stored = session.execute(sa.text("SELECT token_hash FROM apitoken")).scalars().all()
        assert all(issued["token"].split("_", 2)[2] not in value for value in stored)
    engine.dispose()
    code, output = run("user", "token", "nobody", env=env)
    assert code == 1
    assert "nobody" in output


def test_a_password_reset_unlocks_the_account(env: dict[str, str]) -> None:
    run(
        "user", "add", "fin", "--role", "finance", "--password-env", "PW", env={**env, "PW": STRONG}
    )
    engine = make_engine(env["INVENTORY_DATABASE_URL"])
    for _ in range(logins.MAX_FAILED_LOGINS):
        with session_scope(engine) as session:
            assert logins.authenticate(session, "fin", "wrong", "r") is None
    with session_scope(engine) as session:
        assert logins.authenticate(session, "fin", STRONG, "r") is None  # locked
    code, output = run(
        "user", "password", "fin", "--password-env", "PW", env={**env, "PW": STRONG + "x"}
    )
    assert code == 0, output
    assert "0 page session(s) and API token(s) revoked" in output  # says what it did
    with session_scope(engine) as session:
        assert logins.authenticate(session, "fin", STRONG + "x", "r") is not None
    engine.dispose()
