"""The application: the API under /api/v1, the pages at /, one engine, one scan runner."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api import audit_page, docs, login_page, operations_pages, pages, problems
from api.deps import Services
from api.routes import accounts, assets, operations, organisation
from api.scans import ScanRunner
from inventory import __version__
from inventory.db.engine import engine_from_settings
from inventory.settings import Settings, load_settings

API_PREFIX = "/api/v1"
STATIC = Path(__file__).parent / "static"


class NoSniffing:
    """A browser must never guess HTML out of a JSON answer or an export.

    Plain ASGI rather than @app.middleware("http"), which costs a task per request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
            await send(message)

        await self.app(scope, receive, send_with_header)


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
        docs_url=None,  # api.docs serves it from the package, behind login
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = Services(settings, engine, runner)

    app.add_middleware(NoSniffing)
    if settings.forwarded_allow_ips:
        # Outermost, so the client address and scheme are the real ones everywhere
        # (the login throttle, the Secure cookie); only the named proxies are believed.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)

    problems.install(app)
    api = APIRouter(prefix=API_PREFIX, responses=problems.REFUSALS)
    for module in (assets, organisation, operations, accounts):
        api.include_router(module.router)
    app.include_router(api)
    app.include_router(pages.router)
    app.include_router(operations_pages.router)
    app.include_router(audit_page.router)
    app.include_router(login_page.router)
    pages.install(app)
    docs.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
