"""ETags and If-Match for optimistic concurrency: the tag is the row's version."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from fastapi import Response
from sqlmodel import Session, SQLModel

from api.problems import Problem
from inventory.models.base import pk
from inventory.services import records
from inventory.services.context import Actor

Row = TypeVar("Row", bound=SQLModel)


def etag(kind: str, key: object, version: int) -> str:
    return f'"{kind}-{key}-v{version}"'


def set_etag(response: Response, kind: str, key: object, version: int) -> None:
    response.headers["ETag"] = etag(kind, key, version)


def expected_version(if_match: str | None, kind: str, key: object) -> int:
    """The version the client edited, from If-Match; 428 without one, 412 if it is not ours."""
    if if_match is None:
        raise Problem(
            428, "If-Match is required: GET the object, then send its ETag with the change"
        )
    tag = if_match.strip().removeprefix("W/")
    prefix = f'"{kind}-{key}-v'
    if not (tag.startswith(prefix) and tag.endswith('"') and tag[len(prefix) : -1].isdigit()):
        raise Problem(412, f"If-Match {if_match!r} is not an ETag of this {kind}")
    return int(tag[len(prefix) : -1])


def edit(
    session: Session,
    actor: Actor,
    response: Response,
    row: Row,
    kind: str,
    key: object,
    if_match: str | None,
    changes: Mapping[str, Any],
) -> Row:
    """Apply `changes` to `row` only at the version the client saw; answer the new ETag."""
    updated = records.update(
        session, actor, type(row), pk(row), expected_version(if_match, kind, key), changes
    )
    set_etag(response, kind, key, updated.version)  # type: ignore[attr-defined]
    return updated
