"""Errors as HTTP answers: each domain refusal maps to one status and a clear message."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from inventory.domain.access import AccessDenied
from inventory.domain.errors import ConflictError, DomainError, NotFoundError
from inventory.services.collection import CredentialError, TargetError
from inventory.services.queries import QueryError
from inventory.services.records import InvalidValueError


class Problem(Exception):
    """An HTTP refusal raised from anywhere in a request."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


def _answer(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


class Detail(BaseModel):
    detail: str


# Every API route may answer these, always as {"detail": "<what and why>"}.
REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"model": Detail} for status in (401, 403, 404, 409, 412, 422, 428)
}


def _where(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location)


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in exc.errors())
        return _answer(422, problems or "the request is not valid")

    @app.exception_handler(Problem)
    async def problem(_request: Request, exc: Problem) -> JSONResponse:
        return _answer(exc.status, exc.detail, exc.headers)

    for refusal, status in STATUS_OF.items():
        app.add_exception_handler(refusal, _refusal(status))
    app.add_exception_handler(sa.exc.OperationalError, _busy)


# The most specific class wins (Starlette looks handlers up along the MRO).
STATUS_OF: dict[type[Exception], int] = {
    AccessDenied: 403,
    NotFoundError: 404,
    ConflictError: 412,  # a stale version: nothing was written
    QueryError: 422,
    CredentialError: 422,
    TargetError: 422,
    InvalidValueError: 422,
    # Policy rules and state machines: the request cannot apply to the current
    # state; the message says why.
    DomainError: 409,
}


def _refusal(status: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    async def answer(_request: Request, exc: Exception) -> JSONResponse:
        return _answer(status, str(exc))

    return answer


RETRY_AFTER_SECONDS = 5


def lock_wait_ran_out(exc: sa.exc.OperationalError) -> bool:
    """SQLite's busy timeout or PostgreSQL's lock_timeout (SQLSTATE 55P03) expired."""
    if getattr(exc.orig, "sqlstate", None) == "55P03":
        return True
    return "database is locked" in str(exc.orig) or "database table is locked" in str(exc.orig)


async def _busy(_request: Request, exc: Exception) -> JSONResponse:
    # Another writer held the lock longer than this request would wait: the
    # service is busy, not broken, and the client may simply retry.
    if isinstance(exc, sa.exc.OperationalError) and lock_wait_ran_out(exc):
        return _answer(
            503,
            "the database is busy with another change; try again shortly",
            {"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    raise exc
