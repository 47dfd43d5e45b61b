"""How the hub API refuses: one documented error body, and no text with a NUL in it.

Every refusal has the body `Problem` ({"detail": text or FastAPI's validation list, "code":
an i18n key when the hub chose it}); the statuses are listed on every route of the OpenAPI, so
a client (and the schemathesis run in tests/security) knows them. A NUL character cannot be
stored in a PostgreSQL text column, and no field of ours needs one: a request carrying one, in
its JSON, its path or its query, is refused with 422 before a route sees it.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes

from pydantic import BaseModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bekasi_field.i18n import tr

MAX_JSON_BYTES = 64 * 1024 * 1024


class Problem(BaseModel):
    detail: str | list[dict[str, Any]]
    code: str | None = None


_WHY = {
    400: "The request could not be read.",
    401: "No device credentials, or wrong ones (Bearer token).",
    403: "This device may not do this (revoked, another site, not a relay, not its file).",
    404: "No such thing at the hub.",
    409: "It clashes with what the hub holds (e.g. another key already registered).",
    413: "Too large: an evidence file over 20 MB, or the device's evidence quota is full.",
    422: "A field is missing, malformed, out of range, or holds a NUL character.",
    429: "Too many attempts; wait before trying again.",
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": why} for status, why in _WHY.items()}


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _json_has_nul(body: bytes) -> bool:
    if b"\\u0000" not in body and b"\x00" not in body:
        return False  # the common case: one scan of the bytes, no second parse
    try:
        return _has_nul(json.loads(body))
    except (ValueError, UnicodeDecodeError):
        return False  # not JSON: the route's own validation answers


class NulGuard:
    """ASGI middleware: 422 for a NUL in the path, the query or a JSON body; 413 for a JSON
    body over MAX_JSON_BYTES, refused as it passes the limit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_query: bytes = scope.get("query_string", b"")
        if "\x00" in scope.get("path", "") or b"\x00" in unquote_to_bytes(raw_query):
            await _refuse(send)
            return
        headers = dict(scope.get("headers") or [])
        ctype = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if scope.get("method") not in ("POST", "PUT", "PATCH") or (ctype and not
                                                                   ctype.endswith(b"json")):
            await self.app(scope, receive, send)  # evidence (octet-stream) streams untouched
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > MAX_JSON_BYTES:  # read no further (5,000 entries are ~10 MB)
                await _refuse(send, status=413, key="hub.body_too_big")
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if _json_has_nul(body):
            await _refuse(send)
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body,
                                        "more_body": False}], then=receive), send)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    queue = list(messages)

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive


async def _refuse(send: Send, *, status: int = 422, key: str = "hub.nul_character") -> None:
    body = json.dumps({"detail": tr(key), "code": key}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
