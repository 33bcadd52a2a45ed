"""Errors as HTTP answers: each domain refusal maps to one status and a clear message."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from collectors.credentials import CredentialError
from collectors.targets import TargetError
from inventory.domain.access import AccessDenied
from inventory.domain.errors import ConflictError, DomainError, NotFoundError
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

    @app.exception_handler(AccessDenied)
    async def denied(_request: Request, exc: AccessDenied) -> JSONResponse:
        return _answer(403, str(exc))

    @app.exception_handler(NotFoundError)
    async def not_found(_request: Request, exc: NotFoundError) -> JSONResponse:
        return _answer(404, str(exc))

    @app.exception_handler(ConflictError)
    async def stale(_request: Request, exc: ConflictError) -> JSONResponse:
        return _answer(412, str(exc))

    @app.exception_handler(QueryError)
    async def bad_query(_request: Request, exc: QueryError) -> JSONResponse:
        return _answer(422, str(exc))

    @app.exception_handler(CredentialError)
    async def bad_credential(_request: Request, exc: CredentialError) -> JSONResponse:
        return _answer(422, str(exc))

    @app.exception_handler(TargetError)
    async def bad_target(_request: Request, exc: TargetError) -> JSONResponse:
        return _answer(422, str(exc))

    @app.exception_handler(InvalidValueError)
    async def bad_value(_request: Request, exc: InvalidValueError) -> JSONResponse:
        return _answer(422, str(exc))

    @app.exception_handler(DomainError)
    async def refused(_request: Request, exc: DomainError) -> JSONResponse:
        # Policy rules, state machines and bad values: the request cannot be
        # applied to the current state; the message says why.
        return _answer(409, str(exc))
