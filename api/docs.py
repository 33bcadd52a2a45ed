"""The browsable API documentation (Swagger UI), served from the package, behind login.

A government network reaches no public CDN, so the Swagger UI assets come from
the swagger-ui-bundle package; the page loads only scripts from this site
(the pages' Content Security Policy, with script-src 'self' instead of 'none':
Swagger UI is a script) and is shown only to a logged-in user.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from api.deps import DB
from api.pages import PAGE_CSP, page_user

ASSETS = "/api/v1/docs/assets"
DOCS_CSP = PAGE_CSP.replace("script-src 'none'", "script-src 'self'")
router = APIRouter(include_in_schema=False)

_HTML = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>四集中 consolidation inventory: API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""


@router.get("/api/v1/docs")
def docs(request: Request, session: DB) -> HTMLResponse:
    """Swagger UI over /api/v1/openapi.json, for logged-in users (a page session)."""
    page_user(request, session)
    response = HTMLResponse(_HTML)
    response.headers["Content-Security-Policy"] = DOCS_CSP
    return response


def install(app: FastAPI) -> None:
    """Add the docs page and its assets (from the swagger-ui-bundle package)."""
    app.include_router(router)
    app.mount(ASSETS, StaticFiles(directory=swagger_ui_path), name="swagger-ui")
