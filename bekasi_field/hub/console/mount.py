"""Attach the console to the hub's FastAPI app under /console."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bekasi_field.hub.console import (
    CONSOLE_PATH,
    routes_audit,
    routes_auth,
    routes_complaints,
    routes_conflicts,
    routes_devices,
    routes_officers,
    routes_overview,
    routes_registry,
    routes_voids,
)
from bekasi_field.hub.console.progress import Overview
from bekasi_field.hub.console.web import Forbidden, LoginRequired, lang_of, render
from bekasi_field.hub.store import HubStore
from bekasi_field.paths import resolve_home

ROUTE_MODULES = (routes_auth, routes_overview, routes_conflicts, routes_voids, routes_devices,
                 routes_officers, routes_registry, routes_complaints, routes_audit)


def console_routes() -> list[tuple[str, str]]:
    """(method, path) of every console route (the tests walk them for login and CSRF)."""
    return sorted((m, CONSOLE_PATH + r.path) for mod in ROUTE_MODULES
                  for r in mod.router.routes for m in getattr(r, "methods", ()))


def mount_console(app: FastAPI, store: HubStore, *, home: Path | None = None) -> None:
    home = home or resolve_home(None)
    app.state.hub_home = home
    app.state.console_dir = home / "hub-console"
    app.state.console_overview = Overview(store)
    app.state.console_jobs = {}
    app.state.console_complaints = True  # complaints synced from the desks: a menu entry

    @app.exception_handler(LoginRequired)
    async def _login(_request: Request, _exc: LoginRequired) -> RedirectResponse:
        return RedirectResponse(CONSOLE_PATH + "/login", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> HTMLResponse:
        return render(request, "error.html", lang=lang_of(request), status=403, message=exc.key)

    @app.get(CONSOLE_PATH, include_in_schema=False)
    def _root() -> RedirectResponse:
        return RedirectResponse(CONSOLE_PATH + "/", status_code=307)

    for module in ROUTE_MODULES:
        app.include_router(module.router, prefix=CONSOLE_PATH, include_in_schema=False)
