"""Credential profiles: sealed at rest, opened only for a collector, never shown."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from sqlmodel import Session, select

from collectors.credentials import CredentialError, SnmpVersion
from inventory.domain.choices import CredentialKind
from inventory.domain.errors import DomainError, NotFoundError
from inventory.models import AuditEvent, CredentialProfile
from inventory.services import credentials
from inventory.services.context import Actor
from inventory.settings import load_settings

SENTINEL = "Sentinel-Secret-7f3a9c"


def _key(key_file: Path, *, create: bool, **settings: object) -> Fernet:
    return credentials.load_key(load_settings(secret_key_file=key_file, **settings), create=create)


@pytest.fixture
def fernet(tmp_path: Path) -> Fernet:
    return _key(tmp_path / "secret.key", create=True)


def test_the_key_file_is_created_once_and_private(tmp_path: Path) -> None:
    key_file = tmp_path / "keys" / "secret.key"
    first = _key(key_file, create=True)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    token = first.encrypt(b"x")
    assert _key(key_file, create=True).decrypt(token) == b"x"


def test_a_missing_key_is_a_clear_error_not_a_new_key(tmp_path: Path) -> None:
    with pytest.raises(credentials.CredentialKeyError, match="does not exist"):
        _key(tmp_path / "absent.key", create=False)
    assert not (tmp_path / "absent.key").exists()


def test_the_key_can_come_from_the_environment_through_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv(credentials.KEY_ENV, key)
    sealed = Fernet(key).encrypt(b"y")
    assert _key(tmp_path / "unused.key", create=False).decrypt(sealed) == b"y"
    monkeypatch.setenv(credentials.KEY_ENV, "not-a-key")
    with pytest.raises(credentials.CredentialKeyError, match="not a Fernet key"):
        _key(tmp_path / "unused.key", create=False)


def test_an_explicit_key_beats_the_environment_and_is_never_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(credentials.KEY_ENV, "not-a-key")
    key = Fernet.generate_key().decode()
    settings = load_settings(secret_key_file=tmp_path / "unused.key", secret_key=key)
    assert credentials.load_key(settings, create=False).decrypt(Fernet(key).encrypt(b"z")) == b"z"
    assert key not in repr(settings)
    assert key not in str(settings.model_dump(mode="json"))


def test_secrets_are_sealed_at_rest_and_redacted_in_the_audit_trail(
    session: Session, actor: Actor, fernet: Fernet
) -> None:
    credentials.create_snmp_profile(
        session, actor, fernet, "dept-ro", CredentialKind.SNMP_V2C, {"community": SENTINEL}
    )
    stored = session.exec(select(CredentialProfile)).one()
    assert SENTINEL.encode() not in stored.secret_ciphertext
    (event,) = session.exec(select(AuditEvent).where(AuditEvent.object_type == "credentialprofile"))
    assert event.after is not None
    assert event.after["secret_ciphertext"] == "[redacted]"
    assert SENTINEL not in str(credentials.list_profiles(session))
    (opened,) = credentials.snmp_credentials(session, fernet, ["dept-ro"])
    assert opened.version is SnmpVersion.V2C
    assert opened.community == SENTINEL
    assert SENTINEL not in repr(opened)


def test_every_text_in_the_database_is_free_of_the_secret(
    session: Session, actor: Actor, fernet: Fernet
) -> None:
    credentials.create_snmp_profile(
        session,
        actor,
        fernet,
        "v3",
        CredentialKind.SNMP_V3,
        {"auth_key": SENTINEL, "priv_key": SENTINEL + "-p"},
        user="ops",
        params={"auth_protocol": "SHA512", "priv_protocol": "AES256"},
    )
    session.flush()
    metadata = CredentialProfile.metadata
    for table in metadata.sorted_tables:
        for row in session.execute(sa.select(table)):
            for value in row:
                text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                assert SENTINEL not in text, f"secret found in {table.name}"


def test_profiles_are_checked_as_a_collector_would_use_them(
    session: Session, actor: Actor, fernet: Fernet
) -> None:
    with pytest.raises(CredentialError, match="weaker than authPriv"):
        credentials.create_snmp_profile(
            session,
            actor,
            fernet,
            "old",
            CredentialKind.SNMP_V3,
            {"auth_key": "abcdefgh", "priv_key": "abcdefgh"},
            user="ops",
            params={"auth_protocol": "MD5", "priv_protocol": "DES"},
        )
    with pytest.raises(CredentialError, match="needs a community"):
        credentials.create_snmp_profile(
            session, actor, fernet, "empty", CredentialKind.SNMP_V2C, {}
        )
    for short in (
        {"auth_key": "1234567", "priv_key": "abcdefgh"},
        {
            "auth_key": "abcdefgh",
            "priv_key": "1234567",
        },
    ):  # RFC 3414 section 11.2: 8 characters at least
        with pytest.raises(CredentialError, match="at least 8 characters"):
            credentials.create_snmp_profile(
                session, actor, fernet, "short", CredentialKind.SNMP_V3, short, user="ops"
            )
    with pytest.raises(DomainError, match="unknown profile settings"):
        credentials.create_snmp_profile(
            session,
            actor,
            fernet,
            "odd",
            CredentialKind.SNMP_V2C,
            {"community": "c"},
            params={"port": 1161},
        )
    credentials.create_snmp_profile(
        session, actor, fernet, "ok", CredentialKind.SNMP_V2C, {"community": "c"}
    )
    with pytest.raises(DomainError, match="exists already"):
        credentials.create_snmp_profile(
            session, actor, fernet, "ok", CredentialKind.SNMP_V2C, {"community": "d"}
        )


def test_a_profile_sealed_with_another_key_says_so(
    session: Session, actor: Actor, fernet: Fernet
) -> None:
    credentials.create_snmp_profile(
        session, actor, fernet, "p", CredentialKind.SNMP_V2C, {"community": "c"}
    )
    with pytest.raises(credentials.CredentialKeyError, match="sealed with another key"):
        credentials.snmp_credentials(session, Fernet(Fernet.generate_key()), ["p"])
    with pytest.raises(NotFoundError):
        credentials.snmp_credentials(session, fernet, ["absent"])
