"""The application: the API under /api/v1, the pages at /, one engine, one scan runner."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from api import pages, problems
from api.deps import Services
from api.routes import accounts, assets, operations, organisation
from api.scans import ScanRunner
from inventory import __version__
from inventory.db.engine import engine_from_settings
from inventory.settings import Settings, load_settings

API_PREFIX = "/api/v1"
STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None, engine: sa.Engine | None = None) -> FastAPI:
    settings = settings or load_settings()
    engine = engine or engine_from_settings(settings)
    runner = ScanRunner(engine, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        runner.close()

    app = FastAPI(
        title="四集中 consolidation inventory",
        version=__version__,
        description="Servers, modes, migration, staff and disposal for a city big-data bureau.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = Services(settings, engine, runner)

    @app.middleware("http")
    async def no_sniffing(request: Request, call_next: Any) -> Response:
        # A browser must never guess HTML out of a JSON answer or an export.
        response: Response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    problems.install(app)
    api = APIRouter(prefix=API_PREFIX, responses=problems.REFUSALS)
    for module in (assets, organisation, operations, accounts):
        api.include_router(module.router)
    app.include_router(api)
    app.include_router(pages.router)
    pages.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
