"""Scans started from the API run on worker threads; their live progress is kept here."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import sqlalchemy as sa
from sqlmodel import Session

from inventory.domain.scan_options import ScanOptions
from inventory.models.assets import new_uid
from inventory.services import credentials as credential_service
from inventory.services import discovery
from inventory.services.context import Actor
from inventory.settings import Settings

log = logging.getLogger(__name__)


class ScanRunner:
    """Plans a scan in the caller's request (so bad targets or profiles fail there), runs it after.

    At most `workers` scans run at once; more wait their turn, shown as queued.
    """

    def __init__(self, engine: sa.Engine, settings: Settings, workers: int = 2) -> None:
        self._engine = engine
        self._settings = settings
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="scan")
        self._lock = threading.Lock()
        self._live: dict[str, discovery.ScanProgress] = {}
        self._requested_by: dict[str, str] = {}
        self._futures: dict[str, Future[None]] = {}

    def start(
        self,
        session: Session,
        actor: Actor,
        targets: Sequence[str],
        profiles: Sequence[str],
        options: ScanOptions,
    ) -> str:
        """Plan in the caller's transaction (SQLite has one writer: a second would wait on it)."""
        fernet = credential_service.load_key(self._settings, create=False)
        plan = discovery.plan_with_profiles(
            session,
            fernet,
            targets,
            profiles,
            options,
            self._settings.scan_exclusions,
        )
        uid = new_uid()
        with self._lock:
            self._live[uid] = discovery.ScanProgress(total=plan.upper_bound)
            self._requested_by[uid] = actor.name
            self._futures[uid] = self._pool.submit(self._run, uid, actor, plan, list(targets))
        return uid

    def _run(self, uid: str, actor: Actor, plan: discovery.ScanPlan, targets: list[str]) -> None:
        def advance(progress: discovery.ScanProgress) -> None:
            with self._lock:
                self._live[uid] = discovery.ScanProgress(**vars(progress))

        try:
            discovery.run_scan(
                self._engine,
                actor,
                plan,
                targets,
                self._settings.stale_after_days,
                advance,
                scan_uid=uid,
            )
        except Exception:  # the scan record says FAILED; the server keeps serving
            log.exception("scan %s failed", uid)
        finally:
            with self._lock:
                self._live.pop(uid, None)
                self._requested_by.pop(uid, None)
                self._futures.pop(uid, None)

    def live(self, uid: str) -> discovery.ScanProgress | None:
        with self._lock:
            return self._live.get(uid)

    def requested_by(self, uid: str) -> str | None:
        with self._lock:
            return self._requested_by.get(uid)

    def wait(self, uid: str, timeout: float | None = None) -> None:
        """Block until the scan ends (for tests and the CLI); a finished one returns at once."""
        with self._lock:
            future = self._futures.get(uid)
        if future is not None:
            future.result(timeout)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
