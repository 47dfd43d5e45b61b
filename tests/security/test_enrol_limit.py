"""Guessing enrolment codes: after a few wrong codes from one address the hub answers 429 with
Retry-After, each failure after a wait doubles it, and a valid code works again once the wait is
over (the hub's clock is moved on instead of sleeping)."""

from __future__ import annotations

import httpx
from helpers_hub import ThreadHub, enrol_code, key_for

from bekasi_field.hub.enrol_guard import FIRST_WAIT_S, FREE_FAILURES


def _enrol(client: httpx.Client, hub: ThreadHub, code: str, device: str) -> httpx.Response:
    return client.post(hub.url + "/api/v1/enrol", timeout=30, json={
        "code": code, "device_id": device, "public_key": key_for(device).public_hex})


def test_repeated_wrong_codes_answer_429_and_a_valid_code_works_after_the_wait(
        hub: ThreadHub) -> None:
    now = [1000.0]
    hub.server.config.app.state.enrol_guard.clock = lambda: now[0]
    good = enrol_code(hub.store)
    with httpx.Client() as client:
        answers = [_enrol(client, hub, f"AAAA-BBBB-CC{i:02d}", "guesser").status_code
                   for i in range(FREE_FAILURES)]
        assert answers == [401] * FREE_FAILURES
        # now even the right code waits (and is not used up)
        r = _enrol(client, hub, good, "desk-1")
        assert r.status_code == 429
        assert int(r.headers["Retry-After"]) == int(FIRST_WAIT_S)
        assert "coba lagi dalam 30 detik" in r.json()["detail"]
        # another address is not held up by this one's guesses
        with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2")) as other:
            assert _enrol(other, hub, "ZZZZ-ZZZZ-ZZZZ", "x").status_code == 401
        now[0] += FIRST_WAIT_S + 1
        # one more wrong code after the wait: waiting again at once, twice as long
        assert _enrol(client, hub, "AAAA-BBBB-CCDD", "guesser").status_code == 401
        r = _enrol(client, hub, good, "desk-1")
        assert r.status_code == 429 and int(r.headers["Retry-After"]) == int(2 * FIRST_WAIT_S)
        now[0] += 2 * FIRST_WAIT_S + 1
        r = _enrol(client, hub, good, "desk-1")
        assert r.status_code == 200, r.text
        assert r.json()["token"]
        # a right code starts the address over
        assert _enrol(client, hub, "AAAA-BBBB-CCEE", "guesser").status_code == 401
        assert _enrol(client, hub, enrol_code(hub.store), "desk-2").status_code == 200
