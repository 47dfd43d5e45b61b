"""The desk's short-timeout link to its hub for live claims: one try, about a second at most.

A claim is asked while an officer waits, so nothing here retries or backs off: when the hub does
not answer within the timeout the answer is None ("offline") and the desk decides locally. After
a failure the link stays quiet for a few seconds, so a dead hub costs one timeout, not one per
scan; the auto-sync loop finds out when it is back.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import httpx

from bekasi_field.sync import tls_pin
from bekasi_field.sync.live_protocol import (
    DEFAULT_CLAIM_TTL_S,
    ClaimAnswer,
    ClaimRequest,
    StateAnswer,
)
from bekasi_field.sync.protocol import API_PREFIX

log = logging.getLogger(__name__)

CLAIM_TIMEOUT_S = 1.0
QUIET_AFTER_FAILURE_S = 3.0


class LiveLink:
    """Thread-safe (httpx.Client is); one per desk, or one per CLI command."""

    def __init__(self, base_url: str, *, token: str, timeout: float = CLAIM_TIMEOUT_S,
                 quiet_s: float = QUIET_AFTER_FAILURE_S, tls_cert: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        tls_pin.require_secure(self.base_url)
        self.timeout = timeout
        self.quiet_s = quiet_s
        self._down_until = 0.0
        self._guard = threading.Lock()
        self._http = httpx.Client(base_url=self.base_url + API_PREFIX,
                                  headers={"Authorization": f"Bearer {token}"},
                                  timeout=httpx.Timeout(timeout),
                                  # only the certificate pinned at enrolment (sync/tls_pin.py)
                                  verify=tls_pin.context_for(tls_cert) if tls_cert else True)

    def close(self) -> None:
        self._http.close()

    @property
    def up(self) -> bool:
        """False while the link is keeping quiet after a failure."""
        return time.monotonic() >= self._down_until

    def mark_up(self) -> None:
        """The sync loop reached the hub: ask live again from now on."""
        with self._guard:
            self._down_until = 0.0

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response | None:
        if not self.up:
            return None
        try:
            resp = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:  # refused, reset, timed out: the hub is not there now
            reason = type(exc).__name__
        else:
            if resp.status_code < 400 or resp.status_code == 404:
                return resp
            # A refusal (revoked, unknown token) or a hub fault: decide locally, say why in the log.
            reason = f"HTTP {resp.status_code}"
        with self._guard:
            self._down_until = time.monotonic() + self.quiet_s
        log.info("live %s %s: no answer (%s); local checks only", method, path, reason)
        return None

    def state(self, *, event_id: str, household_id: str,
              person_nik: str | None = None) -> StateAnswer | None:
        params = {"event_id": event_id, "household_id": household_id}
        if person_nik:
            params["person_nik"] = person_nik
        resp = self._call("GET", "/claims/state", params=params)
        return None if resp is None or resp.status_code >= 400 else \
            StateAnswer.model_validate(resp.json())

    def claim(self, *, event_id: str, household_id: str, officer_id: str,
              person_nik: str | None = None,
              ttl_s: float = DEFAULT_CLAIM_TTL_S) -> ClaimAnswer | None:
        body = ClaimRequest(event_id=event_id, household_id=household_id, person_nik=person_nik,
                            officer_id=officer_id, ttl_s=ttl_s).model_dump()
        resp = self._call("POST", "/claims", json=body)
        return None if resp is None or resp.status_code >= 400 else \
            ClaimAnswer.model_validate(resp.json())

    def release(self, claim_id: str) -> bool:
        resp = self._call("DELETE", f"/claims/{claim_id}")
        return resp is not None and resp.status_code == 204
