"""Departments, machine rooms and staff, each seen only within the caller's departments."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status
from sqlmodel import Session, col, select

from api.deps import DB, Caller, allowed
from api.etag import edit, set_etag
from api.routes.assets import IfMatch, json_response, list_assets
from api.schemas import (
    AssetPage,
    DepartmentIn,
    DepartmentOut,
    DepartmentPatch,
    RoomOut,
    RoomPatch,
    RowId,
    StaffOut,
    StaffPatch,
)
from inventory.domain.access import Permission, Principal
from inventory.domain.errors import DomainError, NotFoundError
from inventory.models import Department, MachineRoom, Staff
from inventory.services import records
from inventory.services.queries import AssetFilter, PageRequest, parse_fields

router = APIRouter()


def _department_codes(session: Session) -> dict[int, str]:
    return {d.id: d.code for d in session.exec(select(Department))}  # type: ignore[misc]


def _visible_department(session: Session, principal: Principal, code: str) -> Department:
    department = session.exec(select(Department).where(Department.code == code)).first()
    if department is None or not principal.sees(department.id):
        raise NotFoundError("department", code)
    return department


def department_out(department: Department, codes: dict[int, str]) -> dict[str, Any]:
    return {
        **department.model_dump(include=set(DepartmentOut.model_fields)),
        "parent": codes.get(department.parent_id) if department.parent_id else None,
    }


@router.get("/departments", response_model=list[DepartmentOut], tags=["departments"])
def departments(
    session: DB, principal: Annotated[Principal, Depends(allowed(Permission.DEPARTMENT_READ))]
) -> list[dict[str, Any]]:
    codes = _department_codes(session)
    return [
        department_out(d, codes)
        for d in session.exec(select(Department).order_by(col(Department.code)))
        if principal.sees(d.id)
    ]


@router.post(
    "/departments",
    response_model=DepartmentOut,
    status_code=status.HTTP_201_CREATED,
    tags=["departments"],
)
def create_department(
    body: DepartmentIn,
    session: DB,
    _: Annotated[Principal, Depends(allowed(Permission.DEPARTMENT_WRITE))],
    actor: Caller,
    response: Response,
) -> dict[str, Any]:
    if session.exec(select(Department).where(Department.code == body.code)).first():
        raise DomainError(f"department {body.code!r} exists already")
    parent = None
    if body.parent:
        parent = session.exec(select(Department).where(Department.code == body.parent)).first()
        if parent is None:
            raise NotFoundError("department", body.parent)
    department = records.create(
        session,
        actor,
        Department(**body.model_dump(exclude={"parent"}), parent_id=parent.id if parent else None),
    )
    set_etag(response, "department", department.code, department.version)
    return department_out(department, _department_codes(session))


@router.get("/departments/{code}", response_model=DepartmentOut, tags=["departments"])
def department(
    code: str,
    session: DB,
    principal: Annotated[Principal, Depends(allowed(Permission.DEPARTMENT_READ))],
    response: Response,
) -> dict[str, Any]:
    found = _visible_department(session, principal, code)
    set_etag(response, "department", found.code, found.version)
    return department_out(found, _department_codes(session))


@router.patch("/departments/{code}", response_model=DepartmentOut, tags=["departments"])
def edit_department(
    code: str,
    changes: DepartmentPatch,
    session: DB,
    principal: Annotated[Principal, Depends(allowed(Permission.DEPARTMENT_WRITE))],
    actor: Caller,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    found = _visible_department(session, principal, code)
    values = changes.model_dump(exclude_unset=True)
    updated = edit(session, actor, response, found, "department", found.code, if_match, values)
    return department_out(updated, _department_codes(session))


@router.get("/departments/{code}/assets", response_model=AssetPage, tags=["assets"])
def department_assets(
    code: str,
    session: DB,
    principal: Annotated[Principal, Depends(allowed(Permission.ASSET_READ))],
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
    sort: str = "name",
    fields: str | None = None,
) -> Response:
    found = _visible_department(session, principal, code)
    request = PageRequest(page, per_page, sort, parse_fields(fields))
    return json_response(
        list_assets(session, principal, AssetFilter(department=found.code), request)
    )


def room_out(room: MachineRoom, codes: dict[int, str]) -> dict[str, Any]:
    return {
        **room.model_dump(include=set(RoomOut.model_fields)),
        "department": codes.get(room.department_id) if room.department_id else None,
    }


def _visible_room(session: Session, principal: Principal, code: str) -> MachineRoom:
    room = session.exec(select(MachineRoom).where(MachineRoom.code == code)).first()
    if room is None or not principal.sees(room.department_id):
        raise NotFoundError("machine room", code)
    return room


@router.get("/rooms", response_model=list[RoomOut], tags=["rooms"])
def rooms(
    session: DB, principal: Annotated[Principal, Depends(allowed(Permission.ROOM_READ))]
) -> list[dict[str, Any]]:
    codes = _department_codes(session)
    return [
        room_out(r, codes)
        for r in session.exec(select(MachineRoom).order_by(col(MachineRoom.code)))
        if principal.sees(r.department_id)
    ]


@router.get("/rooms/{code}", response_model=RoomOut, tags=["rooms"])
def room(
    code: str,
    session: DB,
    principal: Annotated[Principal, Depends(allowed(Permission.ROOM_READ))],
    response: Response,
) -> dict[str, Any]:
    found = _visible_room(session, principal, code)
    set_etag(response, "room", found.code, found.version)
    return room_out(found, _department_codes(session))


@router.patch("/rooms/{code}", response_model=RoomOut, tags=["rooms"])
def edit_room(
    code: str,
    changes: RoomPatch,
    session: DB,
    principal: Annotated[Principal, Depends(allowed(Permission.ROOM_WRITE))],
    actor: Caller,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    found = _visible_room(session, principal, code)
    values = changes.model_dump(exclude_unset=True)
    updated = edit(session, actor, response, found, "room", found.code, if_match, values)
    return room_out(updated, _department_codes(session))


def staff_out(person: Staff, codes: dict[int, str]) -> dict[str, Any]:
    return {
        **person.model_dump(include=set(StaffOut.model_fields)),
        "department": codes.get(person.department_id),
    }


def _visible_staff(session: Session, principal: Principal, staff_id: int) -> Staff:
    person = session.get(Staff, staff_id)
    if person is None or not principal.sees(person.department_id):
        raise NotFoundError("staff", staff_id)
    return person


StaffReader = Annotated[Principal, Depends(allowed(Permission.STAFF_READ))]


@router.get("/staff", response_model=list[StaffOut], tags=["staff"])
def staff(
    session: DB,
    principal: StaffReader,
    department: Annotated[str | None, Query(max_length=32)] = None,
) -> list[dict[str, Any]]:
    codes = _department_codes(session)
    statement = select(Staff).order_by(col(Staff.staff_no))
    scope = principal.departments
    if scope is not None:
        statement = statement.where(col(Staff.department_id).in_(sorted(scope)))
    if department is not None:
        wanted = [key for key, code in codes.items() if code == department]
        statement = statement.where(col(Staff.department_id).in_(wanted))
    return [staff_out(person, codes) for person in session.exec(statement)]


@router.get("/staff/{staff_id}", response_model=StaffOut, tags=["staff"])
def staff_member(
    staff_id: RowId, session: DB, principal: StaffReader, response: Response
) -> dict[str, Any]:
    person = _visible_staff(session, principal, staff_id)
    set_etag(response, "staff", person.id, person.version)
    return staff_out(person, _department_codes(session))


@router.get("/staff/{staff_id}/assets", response_model=AssetPage, tags=["staff"])
def staff_assets(
    staff_id: RowId,
    session: DB,
    principal: StaffReader,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    """The servers this person maintains, as far as the caller may see them."""
    principal.require(Permission.ASSET_READ)
    person = _visible_staff(session, principal, staff_id)
    criteria = AssetFilter(maintained_by=person.id)
    return json_response(list_assets(session, principal, criteria, PageRequest(page, per_page)))


@router.patch("/staff/{staff_id}", response_model=StaffOut, tags=["staff"])
def edit_staff(
    staff_id: RowId,
    changes: StaffPatch,
    session: DB,
    principal: Annotated[Principal, Depends(allowed(Permission.STAFF_WRITE))],
    actor: Caller,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    person = _visible_staff(session, principal, staff_id)
    values = changes.model_dump(exclude_unset=True)
    updated = edit(session, actor, response, person, "staff", person.id, if_match, values)
    return staff_out(updated, _department_codes(session))
