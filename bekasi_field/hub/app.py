"""The FastAPI application of the hub: versioned routes under /api/v1, OpenAPI at /openapi.json."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse

from bekasi_field import __version__
from bekasi_field.hub.api.errors import ERROR_RESPONSES, NulGuard
from bekasi_field.hub.api.routes import (
    claims,
    complaints,
    devices,
    journal,
    registry,
    relay,
    site_keys,
    voids,
)
from bekasi_field.hub.crud import HubRefusal
from bekasi_field.hub.enrol_guard import EnrolGuard
from bekasi_field.hub.evidence import quota_from_env
from bekasi_field.hub.store import HubStore
from bekasi_field.i18n import tr
from bekasi_field.sync.protocol import API_PREFIX

log = logging.getLogger(__name__)


def create_app(store: HubStore, *, home: Path | None = None,
               evidence_quota: int | None = None) -> FastAPI:
    app = FastAPI(title="bekasi-field hub", version=__version__)
    app.state.store = store
    app.state.enrol_guard = EnrolGuard()  # 429 after repeated wrong enrolment codes
    app.state.evidence_quota = evidence_quota if evidence_quota is not None else quota_from_env()
    app.add_middleware(GZipMiddleware, minimum_size=4096)
    app.add_middleware(NulGuard)  # outermost: a NUL never reaches a route (nor PostgreSQL)

    @app.exception_handler(HubRefusal)
    async def _refusal(_request: Request, exc: HubRefusal) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
        if exc.status == 429 and "seconds" in exc.values:
            headers["Retry-After"] = str(exc.values["seconds"])
        if exc.close_connection:
            headers["Connection"] = "close"
        log.info("refused with %d: %s", exc.status, exc.key)
        return JSONResponse(status_code=exc.status, headers=headers,
                            content={"detail": tr(exc.key, **exc.values), "code": exc.key})

    for router in (devices.router, journal.router, registry.router, complaints.router,
                   voids.router, site_keys.router, claims.router, relay.router):
        app.include_router(router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    from bekasi_field.hub.console.mount import mount_console
    mount_console(app, store, home=home)  # the web console at /console
    return app
