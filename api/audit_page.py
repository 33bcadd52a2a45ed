"""The audit trail page (审计日志) for auditors: filter by object, actor, action and day."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import DB, services
from api.i18n import choose_language
from api.pages import PAGE_SIZE, PageDenied, page_user, render
from inventory.domain.access import Permission
from inventory.domain.labels import term
from inventory.domain.localtime import local_day_start
from inventory.services.audit_search import (
    AmbiguousObjectError,
    AuditQuery,
    resolve_object,
    search,
)
from inventory.services.queries import MAX_PAGE_NUMBER

router = APIRouter(include_in_schema=False)
FILTERS = ("object", "actor", "action", "since", "until")


def _query(request: Request, session: DB) -> tuple[AuditQuery, str | None]:
    """The filters as a query, and a message when one cannot apply (never a 500)."""
    args = request.query_params
    zone = services(request).settings.time_zone
    lang = choose_language(request)
    objects = None
    try:
        if args.get("object"):
            objects = resolve_object(session, args["object"][:200])
        since = local_day_start(args["since"][:10], zone) if args.get("since") else None
        until = local_day_start(args["until"][:10], zone) if args.get("until") else None
    except AmbiguousObjectError as exc:
        return AuditQuery(objects=()), term(
            "ambiguous_object", lang, name=exc.key, example=exc.example
        )
    except ValueError:
        return AuditQuery(objects=()), term("bad_day", lang)
    query = AuditQuery(
        objects=objects,
        actor=(args.get("actor") or "").strip()[:128] or None,
        action=(args.get("action") or "").strip()[:64] or None,
        since=since,
        until=until,
    )
    return query, None


@router.get("/audit")
def audit_page(request: Request, session: DB) -> HTMLResponse:
    """Newest events first, 50 a page; until= is exclusive (the day after the last one wanted)."""
    principal = page_user(request, session, Permission.AUDIT_READ)
    try:
        number = int(request.query_params.get("page", "1")[:12])
    except ValueError:
        raise PageDenied(400, "not_found") from None
    if not 1 <= number <= MAX_PAGE_NUMBER:
        raise PageDenied(400, "not_found")
    query, problem = _query(request, session)
    total, events = search(session, query, number, PAGE_SIZE)
    kept = {k: request.query_params[k] for k in FILTERS if request.query_params.get(k)}
    return render(
        request,
        "audit.html",
        principal,
        events=events,
        total=total,
        number=number,
        pages=max(1, -(-total // PAGE_SIZE)),
        args=kept,
        problem=problem,
        link=lambda n: "/audit?" + urlencode({**kept, "page": n}),
    )
