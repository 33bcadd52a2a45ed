"""The login and logout pages: a login form with its own CSRF cookie, a session cookie after.

The session cookie holds a page-login token only (services.users.start_web_session);
failures are counted per source and account (services.throttle) before the lock.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import DB, SESSION_COOKIE, actor_of, request_id_of, services
from api.pages import PageDenied, check_form, page_user, render, secure
from inventory.services import logins, users

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "login_csrf"


def _safe_next(target: str | None) -> str:
    # Only paths on this site: never an absolute or scheme-relative URL.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", None, login_csrf=token, next=_safe_next(next))
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure(request)
    )
    return response


@router.post("/login")
def login(
    request: Request,
    session: DB,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    login_csrf: Annotated[str, Form(max_length=64)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, login_csrf):
        raise PageDenied(403, "forbidden")
    user = logins.authenticate(
        session,
        username,
        password,
        request_id_of(request),
        source=request.client.host if request.client else "unknown",
        throttle=services(request).logins,
    )
    if user is None:
        session.commit()  # the failed attempt counts toward the lock
        token = secrets.token_urlsafe(24)
        response = render(
            request,
            "login.html",
            None,
            401,
            login_csrf=token,
            next=_safe_next(next),
            failed=True,
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure(request)
        )
        return response
    text = users.start_web_session(session, user, request_id_of(request))
    redirect = RedirectResponse(_safe_next(next), status_code=303)
    redirect.set_cookie(
        SESSION_COOKIE,
        text,
        max_age=users.WEB_SESSION_HOURS * 3600,
        httponly=True,
        samesite="lax",
        secure=secure(request),
    )
    redirect.delete_cookie(LOGIN_CSRF_COOKIE)
    return redirect


@router.post("/logout")
def logout(
    request: Request, session: DB, csrf_token: Annotated[str, Form(max_length=128)]
) -> Response:
    principal = page_user(request, session)
    check_form(request, csrf_token)
    users.revoke_token(
        session, actor_of(request, principal), principal.user_id, request.state.token_id
    )
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
