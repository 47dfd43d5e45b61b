"""The device's HTTP client for the hub: timeouts everywhere, retries with backoff.

Every call is safe to repeat (the hub stores pushes idempotently), so a timeout or a dropped
connection is simply retried; after the last attempt the caller gets HubUnreachable.
"""

from __future__ import annotations

import logging
import ssl
import time
from typing import Any, Self

import httpx

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.sync import tls_pin
from bekasi_field.sync.protocol import (
    API_PREFIX,
    SIGNATURE_HEADER,
    DeviceKeyRequest,
    DeviceNameRequest,
    EnrolRequest,
    EnrolResponse,
    EvidenceMissing,
    EvidenceQuery,
    JournalPage,
    PushResponse,
    StatusResponse,
)

log = logging.getLogger(__name__)


class HubUnreachable(BekasiError):
    """The hub did not answer (down, slow, no network); nothing was lost."""


class HubRejected(BekasiError):
    """The hub answered with a refusal (4xx)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class HubClient:
    def __init__(self, base_url: str, *, token: str | None = None, timeout: float = 15.0,
                 attempts: int = 4, backoff: float = 0.5, tls_cert: str | None = None) -> None:
        """`tls_cert`: the hub certificate pinned at enrolment (sync/tls_pin.py); an https hub
        presenting another is refused in the handshake, before the token is sent."""
        self.base_url = base_url.rstrip("/")
        tls_pin.require_secure(self.base_url)
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.tls_cert = tls_cert
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        verify: ssl.SSLContext | bool = tls_pin.context_for(tls_cert) if tls_cert else True
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX, headers=headers, verify=verify,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        delay = self.backoff
        last: str = ""
        for attempt in range(1, self.attempts + 1):
            try:
                resp = self._http.request(method, path, **kwargs)
            except httpx.TransportError as exc:  # refused, reset, timed out
                if isinstance(exc, httpx.ConnectError) and tls_pin.is_pin_failure(exc):
                    # Not a passing fault: another machine answers as the hub. No retry.
                    if self.tls_cert:
                        raise tls_pin.refused(self.base_url, self.tls_cert) from exc
                    raise BekasiError(tr("sync.hub_cert_unverified",
                                         url=self.base_url)) from exc
                last = type(exc).__name__
            else:
                if resp.status_code < 400:
                    return resp
                if resp.status_code < 500:
                    raise HubRejected(_detail(resp), resp.status_code)
                last = f"HTTP {resp.status_code}"
            log.info("hub %s %s failed (%s), attempt %d/%d", method, path, last, attempt,
                     self.attempts)
            if attempt < self.attempts:
                time.sleep(delay)
                delay *= 2
        raise HubUnreachable(tr("sync.hub_unreachable", url=self.base_url, detail=last))

    def enrol(self, *, code: str, device_id: str, public_key: str,
              name: str = "") -> EnrolResponse:
        body = EnrolRequest(code=code, device_id=device_id, name=name,
                            public_key=public_key).model_dump()
        return EnrolResponse.model_validate(self._request("POST", "/enrol", json=body).json())

    def register_key(self, public_key: str) -> None:
        self._request("PUT", "/device/key", json=DeviceKeyRequest(
            public_key=public_key).model_dump())

    def status(self) -> StatusResponse:
        return StatusResponse.model_validate(self._request("GET", "/status").json())

    def push(self, entries: list[dict[str, Any]]) -> PushResponse:
        # The rows come straight from the journal; the hub validates them (PushRequest).
        resp = self._request("POST", "/journal", json={"entries": entries})
        return PushResponse.model_validate(resp.json())

    def pull_journal(self, *, after: int, limit: int = 2000,
                     released_after: int = 0) -> JournalPage:
        resp = self._request("GET", "/journal", params={"after": after, "limit": limit,
                                                        "released_after": released_after})
        return JournalPage.model_validate(resp.json())

    def snapshot(self, *, since: int, hub_id: str | None,
                 scope: str | None = None) -> tuple[bytes, str]:
        params: dict[str, Any] = {"since": since}
        if hub_id:
            params["hub_id"] = hub_id
        if scope:
            params["scope"] = scope
        resp = self._request("GET", "/snapshot", params=params)
        return resp.content, resp.headers.get(SIGNATURE_HEADER, "")

    def evidence_missing(self, hashes: list[str]) -> list[str]:
        body = EvidenceQuery(hashes=hashes).model_dump()
        resp = self._request("POST", "/evidence/missing", json=body)
        return EvidenceMissing.model_validate(resp.json()).missing

    def put_evidence(self, sha256: str, data: bytes) -> None:
        self._request("PUT", f"/evidence/{sha256}", content=data,
                      headers={"Content-Type": "application/octet-stream"})

    def push_complaints(self, complaints: list[dict[str, Any]]) -> dict[str, Any]:
        """POST /complaints (sync/complaints.py validates the answer)."""
        answer: dict[str, Any] = self._request("POST", "/complaints",
                                               json={"complaints": complaints}).json()
        return answer

    def set_device_name(self, name: str) -> None:
        self._request("PUT", "/device/name", json=DeviceNameRequest(name=name).model_dump())

    def site_desks(self) -> tuple[dict[str, str], dict[str, str]]:
        """(public keys, names) of the desks of this device's site."""
        doc = self._request("GET", "/site/device-keys").json()
        return ({str(k): str(v) for k, v in doc.get("device_keys", {}).items()},
                {str(k): str(v) for k, v in doc.get("device_names", {}).items()})

    def site_device_keys(self) -> dict[str, str]:
        """Public keys of the desks of this device's site (to verify their receipts)."""
        keys = self._request("GET", "/site/device-keys").json().get("device_keys", {})
        return {str(k): str(v) for k, v in keys.items()}

    def conflicts(self) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = self._request("GET", "/conflicts").json()
        return listed


def _detail(resp: httpx.Response) -> str:
    try:
        detail = resp.json().get("detail")
    except ValueError:
        detail = None
    if isinstance(detail, str):
        return detail
    return tr("sync.hub_refused", status=resp.status_code)
