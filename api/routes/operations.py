"""The ops engineers' side: scans and their progress, the review queue, credential profiles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status
from sqlmodel import Session, col, select

from api.deps import DB, Caller, allowed, services
from api.schemas import (
    CredentialIn,
    CredentialOut,
    ReviewDecision,
    ReviewOut,
    RowId,
    ScanOut,
    ScanRequest,
)
from inventory.domain.access import Permission, Principal
from inventory.domain.choices import ReviewStatus, ScanStatus
from inventory.domain.errors import NotFoundError
from inventory.models import Asset, ReviewItem, Scan
from inventory.services import credentials as credential_service
from inventory.services import review as review_service
from inventory.services.credentials import SNMP_KINDS
from inventory.services.discovery import ScanProgress

router = APIRouter()
ScanReader = Annotated[Principal, Depends(allowed(Permission.SCAN_READ))]


def scan_out(scan: Scan, live: Any = None) -> dict[str, Any]:
    values = scan.model_dump(include=set(ScanOut.model_fields))
    values["live"] = vars(live) if live is not None else None
    return values


def _queued(uid: str, requested_by: str, live: Any) -> dict[str, Any]:
    """A scan accepted but not yet recorded by its worker."""
    counts = dict.fromkeys(("probed", "responding", "errors", "created", "updated"), 0)
    return {
        "uid": uid,
        "kind": None,
        "status": ScanStatus.QUEUED,
        "requested_by": requested_by,
        "targets": [],
        "profile_names": [],
        "started_at": None,
        "finished_at": None,
        **counts,
        "unchanged": 0,
        "conflicts": 0,
        "target_errors": {},
        "value_errors": {},
        "live": vars(live),
    }


@router.get("/scans", response_model=list[ScanOut], tags=["scans"])
def scans(
    request_services: Annotated[Any, Depends(services)],
    session: DB,
    _: ScanReader,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    runner = request_services.scans
    return [
        scan_out(scan, runner.live(scan.uid))
        for scan in session.exec(select(Scan).order_by(col(Scan.id).desc()).limit(limit))
    ]


@router.post(
    "/scans",
    response_model=ScanOut,
    status_code=status.HTTP_202_ACCEPTED,
    tags=["scans"],
)
def start_scan(
    body: ScanRequest,
    request_services: Annotated[Any, Depends(services)],
    session: DB,
    _: Annotated[Principal, Depends(allowed(Permission.SCAN_RUN))],
    actor: Caller,
    response: Response,
) -> dict[str, Any]:
    """Start a discovery scan; follow it at the Location given."""
    runner = request_services.scans
    uid = runner.start(session, actor, body.targets, body.profiles, body.options())
    response.headers["Location"] = f"/api/v1/scans/{uid}"
    # A scan that ended already has no live progress; it is recorded by now.
    return _queued(uid, actor.name, runner.live(uid) or ScanProgress(total=0))


def find_scan(session: Session, runner: Any, uid: str) -> dict[str, Any]:
    scan = session.exec(select(Scan).where(Scan.uid == uid)).first()
    live = runner.live(uid)
    if scan is not None:
        return scan_out(scan, live)
    if live is not None:
        return _queued(uid, runner.requested_by(uid) or "", live)
    raise NotFoundError("scan", uid)


@router.get("/scans/{uid}", response_model=ScanOut, tags=["scans"])
def scan(
    uid: str,
    request_services: Annotated[Any, Depends(services)],
    session: DB,
    _: ScanReader,
) -> dict[str, Any]:
    return find_scan(session, request_services.scans, uid)


def review_out(item: ReviewItem, uids: dict[int, str]) -> dict[str, Any]:
    return {
        **item.model_dump(include=set(ReviewOut.model_fields)),
        "asset": uids.get(item.asset_id) if item.asset_id else None,
        "candidates": [uids[c] for c in item.candidate_ids or [] if c in uids],
    }


def asset_uids(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Asset.id, Asset.uid).where(col(Asset.id).in_(sorted(ids))))
    return {key: uid for key, uid in rows if key is not None}


def reviews_of(session: Session, wanted: ReviewStatus | None) -> list[dict[str, Any]]:
    statement = select(ReviewItem).order_by(col(ReviewItem.id))
    if wanted is not None:
        statement = statement.where(ReviewItem.status == wanted)
    items = list(session.exec(statement.limit(1000)))
    ids = {i.asset_id for i in items if i.asset_id} | {c for i in items for c in i.candidate_ids}
    uids = asset_uids(session, ids)
    return [review_out(item, uids) for item in items]


@router.get("/reviews", response_model=list[ReviewOut], tags=["reviews"])
def reviews(
    session: DB,
    _: Annotated[Principal, Depends(allowed(Permission.REVIEW_READ))],
    status_: Annotated[ReviewStatus | None, Query(alias="status")] = ReviewStatus.OPEN,
) -> list[dict[str, Any]]:
    return reviews_of(session, status_)


@router.post("/reviews/{item_id}/resolve", response_model=ReviewOut, tags=["reviews"])
def resolve_review(
    item_id: RowId,
    decision: ReviewDecision,
    session: DB,
    _: Annotated[Principal, Depends(allowed(Permission.REVIEW_RESOLVE))],
    actor: Caller,
) -> dict[str, Any]:
    asset_id = None
    if decision.asset:
        found = session.exec(select(Asset.id).where(Asset.uid == decision.asset)).first()
        if found is None:
            raise NotFoundError("asset", decision.asset)
        asset_id = found
    review_service.resolve(session, actor, item_id, decision.action, decision.reason, asset_id)
    item = session.get(ReviewItem, item_id)
    assert item is not None
    ids = {item.asset_id} if item.asset_id else set()
    return review_out(item, asset_uids(session, ids | set(item.candidate_ids)))


@router.get("/credentials", response_model=list[CredentialOut], tags=["credentials"])
def credentials(
    session: DB, _: Annotated[Principal, Depends(allowed(Permission.CREDENTIAL_READ))]
) -> list[dict[str, Any]]:
    """Profile names, kinds and settings: never a secret."""
    return credential_service.list_profiles(session)


@router.post(
    "/credentials",
    response_model=CredentialOut,
    status_code=status.HTTP_201_CREATED,
    tags=["credentials"],
)
def create_credential(
    body: CredentialIn,
    request_services: Annotated[Any, Depends(services)],
    session: DB,
    _: Annotated[Principal, Depends(allowed(Permission.CREDENTIAL_WRITE))],
    actor: Caller,
) -> dict[str, Any]:
    """Seal a profile's secret with the server's key; the answer never contains it."""
    fernet = credential_service.load_key(request_services.settings, create=True)
    if body.kind in SNMP_KINDS:
        params: dict[str, Any] = dict(body.params)
        profile = credential_service.create_snmp_profile(
            session, actor, fernet, body.name, body.kind, body.secret, body.username, params
        )
    else:
        profile = credential_service.create_ssh_profile(
            session,
            actor,
            fernet,
            body.name,
            body.kind,
            body.username or "",
            body.secret,
            body.trust_on_first_use,
            body.allow_sudo,
        )
    return next(p for p in credential_service.list_profiles(session) if p["name"] == profile.name)
