"""Dependencies of the routes: the store and the authenticated device (Bearer token)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from bekasi_field.hub import crud
from bekasi_field.hub.store import HubStore


def get_store(request: Request) -> HubStore:
    store: HubStore = request.app.state.store  # set by create_app
    return store


StoreDep = Annotated[HubStore, Depends(get_store)]


def current_device(request: Request, store: StoreDep) -> dict[str, Any]:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        token = ""
    with store.read() as conn:
        return crud.authenticate(conn, token.strip() or None)


DeviceDep = Annotated[dict[str, Any], Depends(current_device)]
