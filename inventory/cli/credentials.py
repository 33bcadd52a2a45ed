"""`inventory credential …`: credential profiles (凭据配置), stored encrypted.

Secrets come from an environment variable or a prompt, never from the command line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from inventory.cli.common import (
    cli_errors,
    console,
    open_database,
    print_json,
    print_table,
    read_secret,
    state,
)
from inventory.domain.choices import CredentialKind
from inventory.domain.labels import both

credential_app = typer.Typer(
    help="Credential profiles (凭据配置), stored encrypted.", no_args_is_help=True
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@credential_app.command("add")
def credential_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Profile name, used with `scan --profile`.")],
    kind: Annotated[CredentialKind, typer.Option(help="snmp_v1, snmp_v2c or snmp_v3.")],
    user: Annotated[str | None, typer.Option(help="SNMPv3 user name.")] = None,
    auth_protocol: Annotated[str, typer.Option(help="SHA224, SHA256, SHA384, SHA512.")] = "SHA256",
    priv_protocol: Annotated[str, typer.Option(help="AES128, AES192, AES256.")] = "AES128",
    security_level: Annotated[str, typer.Option(help="authPriv (default) or weaker.")] = "authPriv",
    allow_legacy: Annotated[
        bool, typer.Option("--allow-legacy", help="Permit MD5, SHA-1, DES or no privacy.")
    ] = False,
    secret_env: Annotated[
        str | None,
        typer.Option(help="Read the community (v1/v2c) or auth key (v3) from this variable."),
    ] = None,
    priv_env: Annotated[
        str | None, typer.Option(help="Read the SNMPv3 privacy key from this variable.")
    ] = None,
) -> None:
    """Create a profile. Secrets come from environment variables or a prompt, never argv."""
    from inventory.db.engine import session_scope
    from inventory.services import credentials as credential_service
    from inventory.services.context import Actor

    with cli_errors():
        settings = state(ctx).settings
        engine = open_database(ctx)
        fernet = credential_service.load_key(settings, create=True)
        first = read_secret(
            secret_env, "community" if kind is not CredentialKind.SNMP_V3 else "auth key"
        )
        secret = {"community": first}
        params: dict[str, object] = {}
        if kind is CredentialKind.SNMP_V3:
            secret = {"auth_key": first}
            if security_level == "authPriv":
                secret["priv_key"] = read_secret(priv_env, "privacy key")
            params = {
                "auth_protocol": auth_protocol,
                "priv_protocol": priv_protocol,
                "security_level": security_level,
                "allow_legacy": allow_legacy,
            }
        with session_scope(engine) as session:
            credential_service.create_snmp_profile(
                session, Actor.cli(), fernet, name, kind, secret, user, params
            )
    console.print(f"credential profile {name!r} saved (encrypted)", markup=False)


@credential_app.command("add-ssh")
def credential_add_ssh(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Profile name, used with `scan --profile`.")],
    user: Annotated[str, typer.Option(help="The login name.")],
    key_file: Annotated[
        Path | None,
        typer.Option(
            help="A private key file (Ed25519, ECDSA or RSA); else a password.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    secret_env: Annotated[
        str | None,
        typer.Option(help="Read the password (or the key's passphrase) from this variable."),
    ] = None,
    trust_on_first_use: Annotated[
        bool,
        typer.Option("--trust-on-first-use", help="Trust a host's key the first time it is seen."),
    ] = False,
    allow_sudo: Annotated[
        bool, typer.Option("--allow-sudo", help="Let the fact script run `sudo -n dmidecode`.")
    ] = False,
    enable_env: Annotated[
        str | None,
        typer.Option(help="Read the device's enable / super password from this variable."),
    ] = None,
) -> None:
    """Create an SSH profile: a key file or a password. Secrets never come from argv."""
    from inventory.db.engine import session_scope
    from inventory.services import credentials as credential_service
    from inventory.services.context import Actor

    with cli_errors():
        settings = state(ctx).settings
        engine = open_database(ctx)
        fernet = credential_service.load_key(settings, create=True)
        if key_file is not None:
            kind = CredentialKind.SSH_KEY
            secret = {"private_key": key_file.read_text()}
            if secret_env:
                secret["passphrase"] = read_secret(secret_env, "passphrase")
        else:
            kind = CredentialKind.SSH_PASSWORD
            secret = {"password": read_secret(secret_env, "password")}
        if enable_env:
            secret["sudo_password"] = read_secret(enable_env, "enable password")
        with session_scope(engine) as session:
            credential_service.create_ssh_profile(
                session,
                Actor.cli(),
                fernet,
                name,
                kind,
                user,
                secret,
                trust_on_first_use,
                allow_sudo,
            )
    console.print(f"credential profile {name!r} saved (encrypted)", markup=False)


@credential_app.command("list")
def credential_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Profiles by name, kind and settings; secrets are never shown."""
    from inventory.db.engine import session_scope
    from inventory.services import credentials as credential_service

    with cli_errors():
        engine = open_database(ctx)
        with session_scope(engine) as session:
            profiles = credential_service.list_profiles(session)
    if as_json:
        print_json(profiles)
        return
    print_table(
        both("profiles"),
        ("name", "kind", "user", "settings"),
        ((p["name"], p["kind"], p["username"], p["params"] or "") for p in profiles),
    )
