"""The pages people use: server-rendered Jinja2, Chinese and English, escaped everywhere.

Pages read through the same queries and services as the API and apply the same
department scope; forms carry the session's CSRF token.
"""

from __future__ import annotations

import hmac
from functools import partial
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import Session, col, select

from api.deps import (
    DB,
    actor_of,
    csrf_token,
    identify,
    services,
)
from api.i18n import LANG_COOKIE, choose_language, translator
from api.routes.assets import asset_detail, visible_asset
from inventory.domain.access import AccessDenied, Permission, Principal
from inventory.domain.choices import (
    DeviceClass,
    LifecycleStatus,
    Mode,
    ReviewKind,
    ScanKind,
    ScanStatus,
)
from inventory.domain.errors import ConflictError, NotFoundError
from inventory.domain.labels import label
from inventory.domain.localtime import local_text
from inventory.models import Department
from inventory.services import records
from inventory.services.queries import (
    AssetFilter,
    PageRequest,
    QueryError,
    asset_counts,
    asset_page,
)
from inventory.services.summary import estate_summary

router = APIRouter(include_in_schema=False)
TEMPLATES = Path(__file__).parent / "templates"
PAGE_SIZE = 50
PAGE_CSP = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'"
)

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    # Every string a device sent (sysName, sysDescr, hostnames...) reaches the
    # pages through these templates, so autoescape is on for all of them.
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals["label"] = label


class LoginRequired(Exception):
    pass


class PageDenied(Exception):
    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status = status
        self.key = key


_NAMED_CHOICES = {"scan_kind": ScanKind, "scan_status": ScanStatus, "review_kind": ReviewKind}


def _named(kind: str, value: object, lang: str) -> str:
    """A stored choice (an enum or its value, as JSON-shaped dicts carry it) by its label."""
    try:
        return label(_NAMED_CHOICES[kind](str(value)), lang)
    except ValueError:
        return str(value)


def secure(request: Request) -> bool:
    """Whether cookies are Secure: always if configured, else when this request was HTTPS.

    Behind a TLS-terminating proxy the scheme is https only if the proxy is
    trusted (settings.forwarded_allow_ips): set secure_cookies to be sure.
    """
    return bool(services(request).settings.secure_cookies) or request.url.scheme == "https"


def render(
    request: Request,
    template: str,
    principal: Principal | None,
    status: int = 200,
    **values: Any,
) -> HTMLResponse:
    lang = choose_language(request)
    session_token = getattr(request.state, "session_token", None)
    html = environment.get_template(template).render(
        request=request,
        lang=lang,
        t=translator(lang),
        user=principal,
        csrf=csrf_token(session_token) if session_token else "",
        when=partial(local_text, zone_name=services(request).settings.time_zone),
        named=partial(_named, lang=lang),
        Permission=Permission,
        **values,
    )
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", secure=secure(request)
        )
    response.headers["Content-Security-Policy"] = PAGE_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def page_user(
    request: Request, session: Session, permission: Permission | None = None
) -> Principal:
    principal = identify(request, session)
    if principal is None or getattr(request.state, "session_token", None) is None:
        raise LoginRequired
    request.state.principal = principal  # a refusal still shows the menu and logout
    if permission is not None and not principal.can(permission):
        raise PageDenied(403, "forbidden")
    return principal


def landing(principal: Principal) -> str:
    """The first page a role may see: the overview, else (the auditor) the audit trail."""
    return "/" if principal.can(Permission.ASSET_READ) else "/audit"


def check_form(request: Request, submitted: str) -> None:
    """A page's change: the form's CSRF token must match, and the caller may write."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None or principal.read_only:
        raise PageDenied(403, "forbidden")
    expected = csrf_token(request.state.session_token)
    if not hmac.compare_digest(submitted, expected):
        raise PageDenied(403, "forbidden")


def install(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, _exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)

    @app.exception_handler(PageDenied)
    async def denied(request: Request, exc: PageDenied) -> Response:
        principal = getattr(request.state, "principal", None)
        return render(request, "message.html", principal, exc.status, message_key=exc.key)


def _bars(counts: dict[str, int], names: Any, lang: str) -> list[tuple[str, int]]:
    """Chart bars, largest first, named by a choice's label or a lookup of display names."""
    items = []
    for key, value in sorted(counts.items(), key=lambda kv: -kv[1]):
        if isinstance(names, dict):
            name = names.get(key, key)
        else:
            try:
                name = label(names(key), lang) if names else key
            except ValueError:
                name = key
        items.append((name, value))
    return items


def _department_names(session: Session, lang: str) -> dict[str, str]:
    """Chinese department names as English ones, where the ledger has them."""
    if lang == "zh":
        return {}
    return {d.name: d.name_en or d.name for d in session.exec(select(Department))}


@router.get("/", response_model=None)
def overview(request: Request, session: DB) -> HTMLResponse | RedirectResponse:
    principal = page_user(request, session)
    if not principal.can(Permission.ASSET_READ):  # the auditor lands on the audit trail
        return RedirectResponse(landing(principal), status_code=303)
    lang = choose_language(request)
    scope = principal.departments
    # The estate-wide figures (rooms emptied, zombies...) only for those who see the estate.
    summary = (
        estate_summary(session, services(request).settings.stale_after_days)
        if scope is None
        else None
    )
    if summary is not None:  # it has counted these already
        by_mode, by_class, by_status = (
            summary.by_mode,
            summary.by_device_class,
            summary.by_status,
        )
        by_department = {name: sum(m.values()) for name, m in summary.by_department.items()}
    else:
        by_mode = asset_counts(session, "mode", scope)
        by_class = asset_counts(session, "device_class", scope)
        by_status = asset_counts(session, "lifecycle_status", scope)
        by_department = asset_counts(session, "department_name", scope)
    return render(
        request,
        "overview.html",
        principal,
        summary=summary,
        total=sum(by_mode.values()),
        by_mode=_bars(by_mode, Mode, lang),
        by_class=_bars(by_class, DeviceClass, lang),
        by_status=_bars(by_status, LifecycleStatus, lang),
        by_department=_bars(by_department, _department_names(session, lang), lang),
    )


def _choice(enum: Any, text: str | None) -> Any:
    if not text:
        return None
    try:
        return enum(text)
    except ValueError:
        raise PageDenied(400, "not_found") from None


def _bounded(text: str | None, longest: int) -> str | None:
    """A filter's text within the API's bound for the same parameter; longer is refused."""
    if text and len(text) > longest:
        raise PageDenied(400, "not_found")
    return text or None


@router.get("/assets")
def asset_list(request: Request, session: DB) -> HTMLResponse:
    principal = page_user(request, session, Permission.ASSET_READ)
    args = request.query_params
    criteria = AssetFilter(
        department=_bounded(args.get("department"), 32),
        mode=_choice(Mode, args.get("mode")),
        status=_choice(LifecycleStatus, args.get("status")),
        device_class=_choice(DeviceClass, args.get("device_class")),
        vendor=_bounded(args.get("vendor"), 64),
        text=_bounded(args.get("q"), 128),
    )
    try:
        number = int(args.get("page", "1")[:12])  # bounded by PageRequest; never a huge int
        page_request = PageRequest(number, PAGE_SIZE, args.get("sort") or "name")
    except (ValueError, QueryError):
        raise PageDenied(400, "not_found") from None
    page = asset_page(session, criteria, page_request, principal.departments)
    departments = [
        d
        for d in session.exec(select(Department).order_by(col(Department.code)))
        if principal.sees(d.id)
    ]
    kept = {k: v for k, v in args.items() if k not in ("page", "lang") and v}
    return render(
        request,
        "assets.html",
        principal,
        page=page,
        pages=max(1, -(-(page.total or 0) // PAGE_SIZE)),
        args=args,
        departments=departments,
        department_names={d.name: d.name_en or d.name for d in departments},
        modes=list(Mode),
        statuses=list(LifecycleStatus),
        classes=list(DeviceClass),
        link=lambda n: "/assets?" + urlencode({**kept, "page": n}),
    )


@router.get("/assets/{uid}")
def asset_page_view(uid: str, request: Request, session: DB) -> HTMLResponse:
    principal = page_user(request, session, Permission.ASSET_READ)
    try:
        found = visible_asset(session, principal, uid)
    except NotFoundError:
        raise PageDenied(404, "not_found") from None
    return render(
        request,
        "asset.html",
        principal,
        asset=asset_detail(session, found),
        editable=principal.can(Permission.ASSET_WRITE),
        saved=request.query_params.get("saved") == "1",
    )


@router.post("/assets/{uid}")
def asset_edit(
    uid: str,
    request: Request,
    session: DB,
    csrf_token: Annotated[str, Form(max_length=128)],
    version: Annotated[int, Form(ge=1)],
    location: Annotated[str, Form(max_length=255)] = "",
    purpose: Annotated[str, Form(max_length=255)] = "",
    notes: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    principal = page_user(request, session, Permission.ASSET_WRITE)
    check_form(request, csrf_token)
    try:
        found = visible_asset(session, principal, uid)
    except NotFoundError:
        raise PageDenied(404, "not_found") from None
    changes = {"location": location or None, "purpose": purpose or None, "notes": notes or None}
    try:
        principal.check_edit(changes)
        records.update(
            session,
            actor_of(request, principal),
            type(found),
            found.id,
            version,
            changes,
        )
    except ConflictError:
        raise PageDenied(409, "stale_edit") from None
    except AccessDenied:
        raise PageDenied(403, "forbidden") from None
    return RedirectResponse(f"/assets/{uid}?saved=1", status_code=303)
