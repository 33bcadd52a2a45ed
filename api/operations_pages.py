"""The operations pages: discovery scans (发现扫描) and the review queue (待核查)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select

from api.deps import DB, actor_of, services
from api.pages import PageDenied, check_form, page_user, render
from api.routes.operations import find_scan, reviews_of
from api.schemas import RowId
from inventory.domain.access import Permission
from inventory.domain.choices import ReviewStatus
from inventory.domain.errors import DomainError, NotFoundError
from inventory.domain.scan_options import ScanOptions
from inventory.models import Scan
from inventory.services import review

router = APIRouter(include_in_schema=False)


@router.get("/scans")
def scan_list(request: Request, session: DB) -> HTMLResponse:
    principal = page_user(request, session, Permission.SCAN_READ)
    scans = list(session.exec(select(Scan).order_by(col(Scan.id).desc()).limit(100)))
    runner = services(request).scans
    return render(
        request,
        "scans.html",
        principal,
        scans=[(scan, runner.live(scan.uid)) for scan in scans],
    )


@router.post("/scans")
def scan_start(
    request: Request,
    session: DB,
    csrf_token: Annotated[str, Form(max_length=128)],
    targets: Annotated[str, Form(max_length=4000)],
    profiles: Annotated[str, Form(max_length=1000)],
) -> Response:
    principal = page_user(request, session, Permission.SCAN_RUN)
    check_form(request, csrf_token)
    actor = actor_of(request, principal)
    try:
        uid = services(request).scans.start(
            session,
            actor,
            targets.split(),
            [p.strip() for p in profiles.replace(",", " ").split() if p.strip()],
            ScanOptions(),  # the one definition's defaults, as the CLI and API use
        )
    except (DomainError, ValueError) as exc:
        return render(request, "message.html", principal, 422, message=str(exc))
    return RedirectResponse(f"/scans/{uid}", status_code=303)


@router.get("/scans/{uid}")
def scan_view(uid: str, request: Request, session: DB) -> HTMLResponse:
    principal = page_user(request, session, Permission.SCAN_READ)
    try:
        scan = find_scan(session, services(request).scans, uid)
    except NotFoundError:
        raise PageDenied(404, "not_found") from None
    return render(request, "scan.html", principal, scan=scan)


@router.get("/reviews")
def review_list(request: Request, session: DB) -> HTMLResponse:
    principal = page_user(request, session, Permission.REVIEW_READ)
    return render(request, "reviews.html", principal, items=reviews_of(session, ReviewStatus.OPEN))


@router.post("/reviews/{item_id}")
def review_resolve(
    item_id: RowId,
    request: Request,
    session: DB,
    csrf_token: Annotated[str, Form(max_length=128)],
    action: Annotated[review.Action, Form()],
    reason: Annotated[str, Form(min_length=1, max_length=1000)],
) -> Response:
    principal = page_user(request, session, Permission.REVIEW_RESOLVE)
    check_form(request, csrf_token)
    try:
        review.resolve(session, actor_of(request, principal), item_id, action, reason)
    except DomainError as exc:
        session.rollback()
        return render(request, "message.html", principal, 409, message=str(exc))
    return RedirectResponse("/reviews", status_code=303)
