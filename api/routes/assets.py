"""Assets: the filtered list, detail with history, ledger edits, the mode decision, exports."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import orjson
import sqlalchemy as sa
from fastapi import APIRouter, Depends, Header, Query, Response
from fastapi.responses import FileResponse
from sqlmodel import Session, col, select
from starlette.background import BackgroundTask

from api.deps import DB, Caller, allowed
from api.etag import edit, expected_version, set_etag
from api.schemas import AssetDetail, AssetPage, AssetPatch, HistoryEntry, ModeDecision
from inventory.domain.access import Permission, Principal
from inventory.domain.choices import DeviceClass, LifecycleStatus, Mode
from inventory.domain.errors import NotFoundError
from inventory.interchange.exporter import export_file
from inventory.models import (
    Asset,
    AssetAddress,
    AssetComponent,
    AssetMac,
    Department,
    MachineRoom,
)
from inventory.models.base import pk
from inventory.services import lifecycle
from inventory.services.queries import (
    AssetFilter,
    PageRequest,
    asset_history,
    asset_page,
    parse_fields,
)

router = APIRouter(tags=["assets"])
Reader = Annotated[Principal, Depends(allowed(Permission.ASSET_READ))]
Editor = Annotated[Principal, Depends(allowed(Permission.ASSET_WRITE))]
Decider = Annotated[Principal, Depends(allowed(Permission.MODE_DECIDE))]
Exporter = Annotated[Principal, Depends(allowed(Permission.EXPORT))]
IfMatch = Annotated[str | None, Header(description="the ETag of the version you edited")]


def json_response(payload: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(payload), media_type="application/json", headers=headers)


def visible_asset(session: Session, principal: Principal, uid: str) -> Asset:
    """The asset if this caller may see it; another department's asset is simply not found."""
    asset = session.exec(select(Asset).where(Asset.uid == uid)).first()
    if asset is None or not principal.sees(asset.department_id):
        raise NotFoundError("asset", uid)
    return asset


def list_assets(
    session: Session,
    principal: Principal,
    criteria: AssetFilter,
    request: PageRequest,
) -> dict[str, Any]:
    page = asset_page(session, criteria, request, principal.departments)
    return {"total": page.total, "page": page.page, "per_page": page.per_page, "items": page.items}


@router.get("/assets", response_model=AssetPage)
def assets(
    session: DB,
    principal: Reader,
    department: Annotated[str | None, Query(max_length=32)] = None,
    mode: Mode | None = None,
    status: LifecycleStatus | None = None,
    device_class: DeviceClass | None = None,
    vendor: Annotated[str | None, Query(max_length=64)] = None,
    seen_after: datetime | None = None,
    seen_before: datetime | None = None,
    q: Annotated[str | None, Query(max_length=128, description="free text")] = None,
    sort: Annotated[str, Query(description="a field, '-' first for descending")] = "name",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
    fields: Annotated[str | None, Query(description="comma-separated fields to return")] = None,
    total: Annotated[
        bool, Query(description="false: skip counting every match (total is null)")
    ] = True,
) -> Response:
    criteria = AssetFilter(
        department, mode, status, device_class, vendor, seen_after, seen_before, q
    )
    request = PageRequest(page, per_page, sort, parse_fields(fields), with_total=total)
    # Serialised straight from the rows: the list is the hot path (docs/benchmarks.md).
    return json_response(list_assets(session, principal, criteria, request))


@router.get("/assets/export", response_class=FileResponse)
def export_assets(
    session: DB,
    principal: Exporter,
    format: Literal["xlsx", "csv"] = "xlsx",
    lang: Literal["zh", "en"] = "zh",
) -> FileResponse:
    """The caller's assets (their department's, for a department user) as a sheet."""
    principal.require(Permission.ASSET_READ)
    folder = Path(tempfile.mkdtemp(prefix="inventory-export-"))
    path = folder / f"assets.{format}"
    export_file(session, path, "assets", lang, principal.departments)
    media = (
        "text/csv; charset=utf-8"
        if format == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )

    def cleanup() -> None:
        path.unlink(missing_ok=True)
        folder.rmdir()

    return FileResponse(
        path, media_type=media, filename=path.name, background=BackgroundTask(cleanup)
    )


def _codes(session: Session, asset: Asset) -> tuple[str | None, str | None]:
    department = session.get(Department, asset.department_id) if asset.department_id else None
    room = session.get(MachineRoom, asset.machine_room_id) if asset.machine_room_id else None
    return (department.code if department else None, room.code if room else None)


def asset_detail(session: Session, asset: Asset) -> dict[str, Any]:
    department, room = _codes(session, asset)
    addresses = session.exec(
        select(AssetAddress.address)
        .where(AssetAddress.asset_id == asset.id)
        .order_by(col(AssetAddress.last_seen).desc())
    ).all()
    macs = session.exec(
        select(AssetMac.mac).where(AssetMac.asset_id == asset.id).order_by(col(AssetMac.mac))
    ).all()
    components = session.exec(
        select(AssetComponent)
        .where(AssetComponent.asset_id == asset.id)
        .order_by(col(AssetComponent.id))
    ).all()
    values = asset.model_dump()
    return {
        **{key: values[key] for key in AssetDetail.model_fields if key in values},
        "department": department,
        "machine_room": room,
        "addresses": list(addresses),
        "macs": list(macs),
        "components": [c.model_dump(include=set(_COMPONENT_FIELDS)) for c in components],
        "history": asset_history(session, asset.uid),
    }


_COMPONENT_FIELDS = ("kind", "name", "model", "serial_number", "size_gb")


@router.get("/assets/{uid}", response_model=AssetDetail)
def asset(uid: str, session: DB, principal: Reader, response: Response) -> dict[str, Any]:
    found = visible_asset(session, principal, uid)
    set_etag(response, "asset", found.uid, found.version)
    return asset_detail(session, found)


@router.get("/assets/{uid}/history", response_model=list[HistoryEntry])
def history(uid: str, session: DB, principal: Reader) -> list[dict[str, Any]]:
    return asset_history(session, visible_asset(session, principal, uid).uid)


def _lookup_id(session: Session, model: Any, code: str | None) -> int | None:
    if code is None:
        return None
    key = session.execute(sa.select(model.id).where(model.code == code)).scalar()
    if key is None:
        raise NotFoundError(model.__tablename__, code)
    return int(key)


@router.patch("/assets/{uid}", response_model=AssetDetail)
def edit_asset(
    uid: str,
    changes: AssetPatch,
    session: DB,
    principal: Editor,
    actor: Caller,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    found = visible_asset(session, principal, uid)
    given = changes.model_dump(exclude_unset=True)
    renamed = {"department": "department_id", "machine_room": "machine_room_id"}
    principal.check_edit(renamed.get(key, key) for key in given)
    values = {renamed.get(key, key): value for key, value in given.items()}
    if "department_id" in values:
        values["department_id"] = _lookup_id(session, Department, values["department_id"])
    if "machine_room_id" in values:
        values["machine_room_id"] = _lookup_id(session, MachineRoom, values["machine_room_id"])
    updated = edit(session, actor, response, found, "asset", found.uid, if_match, values)
    return asset_detail(session, updated)


@router.post("/assets/{uid}/mode", response_model=AssetDetail)
def decide_mode(
    uid: str,
    decision: ModeDecision,
    session: DB,
    principal: Decider,
    actor: Caller,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """P2: the bureau decides the mode, with its reason; recorded with who and when."""
    found = visible_asset(session, principal, uid)
    version = expected_version(if_match, "asset", found.uid)
    updated = lifecycle.decide_mode(
        session,
        actor,
        pk(found),
        decision.mode,
        decision.reason,
        version,
    )
    set_etag(response, "asset", updated.uid, updated.version)
    return asset_detail(session, updated)
