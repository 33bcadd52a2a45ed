"""`inventory serve`, and the accounts it needs: `user add`, `user password`, `user token`."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from inventory.cli.common import cli_errors, console, open_database, print_json, read_secret, state
from inventory.domain.choices import Role

user_app = typer.Typer(help="Accounts of the web service and the API.", no_args_is_help=True)
FROM_ENV_HELP = "Read the password from this environment variable (else a hidden prompt)."


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers",
            help="Behind a proxy on this host (nginx): believe 127.0.0.1's X-Forwarded-*.",
        ),
    ] = False,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(help="Comma-separated proxy addresses whose X-Forwarded-* are believed."),
    ] = None,
    secure_cookies: Annotated[
        bool, typer.Option("--secure-cookies", help="Mark cookies Secure (HTTPS only).")
    ] = False,
) -> None:
    """Run the web pages and the REST API (/api/v1) with uvicorn."""
    import uvicorn

    from api.app import create_app

    with cli_errors():
        settings = state(ctx).settings
        trusted = list(settings.forwarded_allow_ips)
        if forwarded_allow_ips:
            trusted = [ip.strip() for ip in forwarded_allow_ips.split(",") if ip.strip()]
        elif proxy_headers and not trusted:
            trusted = ["127.0.0.1", "::1"]
        settings = settings.model_copy(
            update={
                "forwarded_allow_ips": trusted,
                "secure_cookies": settings.secure_cookies or secure_cookies,
            }
        )
        engine = open_database(ctx, upgrade=True)
        app = create_app(settings, engine)
    console.print(
        f"serving on http://{host}:{port}/  (API /api/v1, OpenAPI /api/v1/openapi.json)",
        markup=False,
    )
    # The app applies trusted proxy headers itself (settings.forwarded_allow_ips).
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The login name.")],
    role: Annotated[Role, typer.Option(help="admin, ops, bureau, department, finance, auditor.")],
    department: Annotated[
        str | None, typer.Option(help="Department code (required for the department role).")
    ] = None,
    display_name: Annotated[str | None, typer.Option(help="The name shown on pages.")] = None,
    password_env: Annotated[str | None, typer.Option(help=FROM_ENV_HELP)] = None,
) -> None:
    """Create an account. There is no default account: create the first admin with this."""
    from inventory.db.engine import session_scope
    from inventory.services import users
    from inventory.services.context import Actor

    with cli_errors():
        engine = open_database(ctx, upgrade=True)
        password = read_secret(password_env, "password")
        with session_scope(engine) as session:
            users.create_user(
                session,
                Actor.cli(),
                username,
                password,
                role,
                department,
                display_name,
                on_server=True,
            )
    console.print(f"user {username} ({role}) created", markup=False)


@user_app.command("password")
def user_password(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument()],
    password_env: Annotated[str | None, typer.Option(help=FROM_ENV_HELP)] = None,
) -> None:
    """Set a new password: unlocks the account and revokes its sessions and tokens."""
    from inventory.db.engine import session_scope
    from inventory.services import users
    from inventory.services.context import Actor

    with cli_errors():
        engine = open_database(ctx)
        password = read_secret(password_env, "new password")
        with session_scope(engine) as session:
            revoked = users.set_password(session, Actor.cli(), username, password)
    console.print(
        f"password of {username} changed; {revoked} page session(s) and API token(s) revoked",
        markup=False,
    )


@user_app.command("token")
def user_token(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
    read_only: Annotated[bool, typer.Option("--read-only", help="Only GET requests.")] = False,
    days: Annotated[int, typer.Option(min=1, max=366, help="Days until it expires.")] = 90,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Issue an API token for a user. It is printed once; only its hash is kept."""
    from inventory.db.engine import session_scope
    from inventory.services import users
    from inventory.services.context import Actor

    with cli_errors():
        engine = open_database(ctx)
        with session_scope(engine) as session:
            user = users.find_user(session, username)
            token, text = users.issue_token(
                session,
                Actor.cli(),
                user,
                name,
                read_only=read_only,
                lifetime=timedelta(days=days),
            )
            expires = token.expires_at
    if as_json:
        print_json({"token": text, "expires_at": expires, "read_only": read_only})
        return
    console.print(text, markup=False, highlight=False)
    console.print(f"expires {expires:%Y-%m-%d}; it will not be shown again", style="dim")
