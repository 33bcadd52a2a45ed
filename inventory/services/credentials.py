"""Credential profiles (凭据配置): encrypted at rest with a key kept outside the database.

The key is a Fernet key in a file (created on first use, mode 0600) or in
INVENTORY_SECRET_KEY. Secrets are decrypted only into the collectors' plain
credential objects, just before a scan; no function here returns them in any
other form, and audit events record the profile without its secret.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from sqlmodel import Session, col, select

from collectors.credentials import SnmpCredential, SnmpVersion
from collectors.ssh.client import SshCredential
from inventory.domain.choices import CredentialKind
from inventory.domain.errors import DomainError, NotFoundError
from inventory.models import CredentialProfile
from inventory.services import records
from inventory.services.context import Actor
from inventory.settings import Settings

KEY_ENV = "INVENTORY_SECRET_KEY"  # Settings.secret_key, as the environment names it
SNMP_KINDS = {
    CredentialKind.SNMP_V1: SnmpVersion.V1,
    CredentialKind.SNMP_V2C: SnmpVersion.V2C,
    CredentialKind.SNMP_V3: SnmpVersion.V3,
}
# Non-secret settings a profile may carry, by kind.
SNMP_V3_PARAMS = ("auth_protocol", "priv_protocol", "security_level", "context", "allow_legacy")


class CredentialKeyError(DomainError):
    """The encryption key is missing or is not the one the profiles were sealed with."""


def load_key(settings: Settings, *, create: bool) -> Fernet:
    """The Fernet key from the settings: `secret_key` (INVENTORY_SECRET_KEY) or the key file.

    The file is created (mode 0600) only when `create` is set; a missing or
    malformed key raises CredentialKeyError naming where it was looked for.
    """
    if settings.secret_key is not None:
        try:
            return Fernet(settings.secret_key.get_secret_value().encode())
        except ValueError:
            raise CredentialKeyError(
                f"{KEY_ENV} is not a Fernet key (32 url-safe base64 bytes)"
            ) from None
    key_file = settings.resolved_secret_key_file
    if not key_file.exists():
        if not create:
            raise CredentialKeyError(
                f"the credential key {key_file} does not exist; restore it or set {KEY_ENV} "
                "(profiles sealed with a lost key must be created again)"
            )
        key_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(Fernet.generate_key())
    try:
        return Fernet(key_file.read_bytes().strip())
    except ValueError:
        raise CredentialKeyError(f"{key_file} does not hold a Fernet key") from None


def _seal(fernet: Fernet, secret: dict[str, str]) -> bytes:
    return fernet.encrypt(json.dumps(secret, sort_keys=True).encode())


def _open(fernet: Fernet, profile: CredentialProfile) -> dict[str, str]:
    try:
        opened: dict[str, str] = json.loads(fernet.decrypt(profile.secret_ciphertext))
    except InvalidToken:
        raise CredentialKeyError(
            f"profile {profile.name!r} was sealed with another key than the one configured"
        ) from None
    return opened


def create_snmp_profile(
    session: Session,
    actor: Actor,
    fernet: Fernet,
    name: str,
    kind: CredentialKind,
    secret: dict[str, str],
    user: str | None = None,
    params: dict[str, Any] | None = None,
) -> CredentialProfile:
    """Validate the profile as a collector would use it, then store it sealed."""
    if kind not in SNMP_KINDS:
        raise DomainError(f"{kind} is not an SNMP profile kind")
    params = {k: v for k, v in (params or {}).items() if v is not None}
    unknown = set(params) - set(SNMP_V3_PARAMS)
    if unknown:
        raise DomainError(f"unknown profile settings: {', '.join(sorted(unknown))}")
    _as_snmp(name, kind, user, params, secret)  # raises CredentialError with the reason
    if session.exec(select(CredentialProfile).where(CredentialProfile.name == name)).first():
        raise DomainError(f"a credential profile named {name!r} exists already")
    profile = CredentialProfile(
        name=name, kind=kind, username=user, params=params, secret_ciphertext=_seal(fernet, secret)
    )
    return records.create(session, actor, profile, reason="credential profile created")


def _as_snmp(
    name: str,
    kind: CredentialKind,
    user: str | None,
    params: dict[str, Any],
    secret: dict[str, str],
) -> SnmpCredential:
    return SnmpCredential(
        name=name,
        version=SNMP_KINDS[kind],
        community=secret.get("community"),
        user=user,
        auth_key=secret.get("auth_key"),
        priv_key=secret.get("priv_key"),
        **params,
    )


def _profiles(
    session: Session, names: Sequence[str], kinds: Collection[CredentialKind], what: str
) -> list[CredentialProfile]:
    """The named profiles in the order given, each checked to be of `kinds`."""
    found = {
        p.name: p
        for p in session.exec(
            select(CredentialProfile).where(col(CredentialProfile.name).in_(names))
        )
    }
    profiles = []
    for name in names:
        profile = found.get(name)
        if profile is None:
            raise NotFoundError("credential profile", name)
        if profile.kind not in kinds:
            raise DomainError(f"profile {name!r} is {profile.kind}, not an {what} profile")
        profiles.append(profile)
    return profiles


def snmp_credentials(
    session: Session, fernet: Fernet, names: Sequence[str]
) -> list[SnmpCredential]:
    """The named SNMP profiles, in the order given, opened for a collector."""
    return [
        _as_snmp(p.name, p.kind, p.username, dict(p.params), _open(fernet, p))
        for p in _profiles(session, names, SNMP_KINDS, "SNMP")
    ]


SSH_KINDS = frozenset({CredentialKind.SSH_PASSWORD, CredentialKind.SSH_KEY})


def create_ssh_profile(
    session: Session,
    actor: Actor,
    fernet: Fernet,
    name: str,
    kind: CredentialKind,
    username: str,
    secret: dict[str, str],
    trust_on_first_use: bool = False,
    allow_sudo: bool = False,
) -> CredentialProfile:
    """A password or private-key (with optional passphrase) profile, sealed."""
    if kind not in SSH_KINDS:
        raise DomainError(f"{kind} is not an SSH profile kind")
    if not username:
        raise DomainError(f"profile {name!r}: an SSH profile needs a user name")
    if kind is CredentialKind.SSH_PASSWORD and not secret.get("password"):
        raise DomainError(f"profile {name!r}: a password profile needs a password")
    if kind is CredentialKind.SSH_KEY:
        _check_private_key(name, secret)
    if session.exec(select(CredentialProfile).where(CredentialProfile.name == name)).first():
        raise DomainError(f"a credential profile named {name!r} exists already")
    profile = CredentialProfile(
        name=name,
        kind=kind,
        username=username,
        params={},
        secret_ciphertext=_seal(fernet, {k: v for k, v in secret.items() if v}),
        trust_on_first_use=trust_on_first_use,
        allow_sudo=allow_sudo,
    )
    return records.create(session, actor, profile, reason="credential profile created")


def _check_private_key(name: str, secret: dict[str, str]) -> None:
    from collectors.ssh.client import SshCredential as Probe
    from collectors.ssh.client import load_private_key

    try:
        load_private_key(
            Probe(
                name,
                "x",
                private_key=secret.get("private_key"),
                passphrase=secret.get("passphrase"),
            )
        )
    except Exception as exc:  # paramiko raises several kinds; the message is what matters
        raise DomainError(f"profile {name!r}: the private key cannot be read ({exc})") from None


def ssh_credentials(session: Session, fernet: Fernet, names: Sequence[str]) -> list[SshCredential]:
    """The named SSH profiles, in the order given, opened for a collector."""
    opened = []
    for profile in _profiles(session, names, SSH_KINDS, "SSH"):
        secret = _open(fernet, profile)
        opened.append(
            SshCredential(
                name=profile.name,
                username=profile.username or "",
                password=secret.get("password"),
                private_key=secret.get("private_key"),
                passphrase=secret.get("passphrase"),
                sudo_password=secret.get("sudo_password"),
                trust_on_first_use=profile.trust_on_first_use,
                allow_sudo=profile.allow_sudo,
            )
        )
    return opened


def split_by_protocol(session: Session, names: Sequence[str]) -> tuple[list[str], list[str]]:
    """Profile names in order, split into (SNMP, SSH)."""
    kinds = dict(
        session.exec(
            select(CredentialProfile.name, CredentialProfile.kind).where(
                col(CredentialProfile.name).in_(names)
            )
        ).all()
    )
    missing = [n for n in names if n not in kinds]
    if missing:
        raise NotFoundError("credential profile", missing[0])
    return [n for n in names if kinds[n] in SNMP_KINDS], [n for n in names if kinds[n] in SSH_KINDS]


def list_profiles(session: Session) -> list[dict[str, Any]]:
    """Profiles without their secrets: what pages, exports and the CLI may show."""
    return [
        {
            "name": p.name,
            "kind": str(p.kind),
            "username": p.username,
            "params": p.params,
            "trust_on_first_use": p.trust_on_first_use,
            "allow_sudo": p.allow_sudo,
            "version": p.version,
        }
        for p in session.exec(select(CredentialProfile).order_by(col(CredentialProfile.name)))
    ]
