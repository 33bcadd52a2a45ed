"""The app as `inventory serve` runs it, plus a header counting each request's SQL statements.

Started by bench/api_assets.py in its own process, so the client's timing loop
and the server never share an interpreter lock.

    .venv/bin/python -m bench.api_server DATABASE_URL PORT DATA_DIR
"""

from __future__ import annotations

import sys

import sqlalchemy as sa
import uvicorn
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.app import create_app
from inventory.db.engine import make_engine
from inventory.settings import load_settings


class CountStatements:
    """Sets X-SQL-Statements: what the engine executed while this request ran (one at a time)."""

    def __init__(self, app: ASGIApp, engine: sa.Engine) -> None:
        self.app = app
        self.executed = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args: object) -> None:
        self.executed += 1

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        before = self.executed

        async def counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-SQL-Statements"] = str(self.executed - before)
            await send(message)

        await self.app(scope, receive, counted)


def main() -> None:
    url, port, data_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    engine = make_engine(url)
    app = create_app(load_settings(data_dir=data_dir, database_url=url), engine)
    uvicorn.run(CountStatements(app, engine), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
