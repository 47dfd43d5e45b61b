"""The console over real HTTP (uvicorn on SQLite and PostgreSQL): logins, the session cookie,
CSRF on every state-changing route, who may see what, and the audit log."""

from __future__ import annotations

import datetime as dt
import re

import httpx
from helpers_console import ADMIN, ADMIN_PW, SUPERVISOR, SUPERVISOR_PW, add_accounts, csrf_of, login
from helpers_hub import EVENT, ThreadHub, seed_registry
from sqlalchemy import insert
from sqlmodel import SQLModel

from bekasi_field.hub.app import create_app
from bekasi_field.hub.console import audit
from bekasi_field.hub.console.mount import console_routes
from bekasi_field.hub.store import HubStore


def _console_routes(_store: HubStore) -> list[tuple[str, str]]:
    return console_routes()


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda m: "1" if m.group(0) == "{conflict_id}" else "X", path)


def test_every_page_needs_a_login(hub: ThreadHub) -> None:
    seed_registry(hub.store)
    public = {"/console/login", "/console/lang/{lang}"}
    routes = [(m, p) for m, p in _console_routes(hub.store) if p not in public]
    assert len(routes) >= 20
    with httpx.Client(base_url=hub.url, follow_redirects=False, timeout=30) as c:
        for method, path in routes:
            r = c.request(method, _concrete(path), data={"csrf": "x"} if method != "GET" else None)
            assert r.status_code == 303, (method, path, r.status_code)
            assert r.headers["location"].endswith("/console/login"), (method, path)
        assert c.get("/console").status_code == 307


def test_every_state_change_needs_the_csrf_token(hub: ThreadHub) -> None:
    seed_registry(hub.store)
    add_accounts(hub.store)
    client = login(hub.url)
    changing = [(m, p) for m, p in _console_routes(hub.store)
                if m in ("POST", "PUT", "DELETE") and p != "/console/login"]
    assert len(changing) >= 9
    for method, path in changing:
        url = _concrete(path).removeprefix("/console")
        r = client.request(method, url, data={"csrf": "not-the-token", "site": "Kota Baru"})
        assert r.status_code == 403, (method, path, r.status_code)
        assert "CSRF" in r.text
        r = client.request(method, url, data={"site": "Kota Baru"})
        assert r.status_code == 403, (method, path)
    # With the token the same request goes through.
    token = csrf_of(client, "/devices")
    r = client.post("/devices/code", data={"csrf": token, "site": "Kota Baru", "hours": "2"})
    assert r.status_code == 200 and 'id="code-text"' in r.text


def test_login_cookie_is_httponly_and_strict_and_logout_ends_the_session(
        hub: ThreadHub) -> None:
    add_accounts(hub.store)
    with httpx.Client(base_url=hub.url + "/console", timeout=30) as c:
        r = c.post("/login", data={"account_id": ADMIN, "password": "wrong-password"},
                   follow_redirects=False)
        assert r.status_code == 401 and "set-cookie" not in r.headers
        r = c.post("/login", data={"account_id": ADMIN, "password": ADMIN_PW},
                   follow_redirects=False)
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        assert "Secure" not in cookie  # plain HTTP on loopback
        assert c.get("/", follow_redirects=False).status_code == 200
        token = csrf_of(c)
        assert c.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
        assert c.get("/", follow_redirects=False).status_code == 303


def test_cookie_is_secure_under_tls(hub_store: HubStore) -> None:
    import asyncio
    add_accounts(hub_store)

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(hub_store))
        async with httpx.AsyncClient(transport=transport, base_url="https://hub.local") as c:
            return await c.post("/console/login",
                                data={"account_id": ADMIN, "password": ADMIN_PW})

    r = asyncio.run(go())
    assert r.status_code == 303 and "Secure" in r.headers["set-cookie"]


def test_a_supervisor_sees_only_the_assigned_sites(hub: ThreadHub) -> None:
    seed_registry(hub.store)
    t = SQLModel.metadata.tables
    with hub.store.engine.begin() as conn:  # a second event at another site
        conn.execute(insert(t["events"]).values(
            id="EV-BINTARA", name="KKS Bintara", programme="KKS", site_kelurahan="Bintara",
            served_kelurahan='["Bintara"]', start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31),
            item="Kartu KKS", amount=None, require_photo=False, require_signature=False,
            allow_proxy=True, status="open", created_at="", version=0))
    add_accounts(hub.store)
    spv = login(hub.url, SUPERVISOR, SUPERVISOR_PW)
    page = spv.get("/").text
    assert f'data-event="{EVENT}"' in page and 'data-event="EV-BINTARA"' not in page
    assert spv.get(f"/events/{EVENT}").status_code == 200
    assert spv.get("/events/EV-BINTARA").status_code == 403
    assert spv.get("/registry").status_code == 403
    assert "/registry" not in page  # not in the menu either
    token = csrf_of(spv, "/devices")
    r = spv.post("/devices/code", data={"csrf": token, "site": "Bintara"})
    assert r.status_code == 403
    admin = login(hub.url)
    page = admin.get("/").text
    assert 'data-event="EV-BINTARA"' in page and f'data-event="{EVENT}"' in page


def test_lockout_with_back_off_over_http(hub: ThreadHub) -> None:
    add_accounts(hub.store)
    with httpx.Client(base_url=hub.url + "/console", timeout=30) as c:
        for _ in range(3):
            r = c.post("/login", data={"account_id": ADMIN, "password": "nope-nope-nope"})
            assert r.status_code == 401
        r = c.post("/login", data={"account_id": ADMIN, "password": ADMIN_PW})
        assert r.status_code == 401 and "dikunci" in r.text  # locked even with the right one


def test_every_action_is_in_the_audit_log(hub: ThreadHub) -> None:
    seed_registry(hub.store)
    add_accounts(hub.store)
    client = login(hub.url)
    token = csrf_of(client, "/devices")
    client.post("/devices/code", data={"csrf": token, "site": "Kota Baru"})
    client.post("/officers", data={"csrf": token, "officer_id": "ptg09", "name": "Dedi",
                                   "role": "petugas", "pin": "4321", "sites": "Kota Baru"})
    client.post("/officers/PTG09/pin", data={"csrf": token, "pin": "9876"})
    client.post("/officers/PTG09/active", data={"csrf": token, "active": "0"})
    assert client.get(f"/events/{EVENT}/bast.pdf").status_code == 200
    with hub.store.read() as conn:
        rows, _ = audit.recent(conn)
    actions = [r["action"] for r in reversed(rows)]
    assert actions == ["login", "enrol_code", "officer_added", "officer_pin_reset",
                       "officer_deactivated", "download_bast"]
    assert all(r["account_id"] == ADMIN for r in rows)
    page = client.get("/audit").text
    assert "officer_pin_reset" in page and "9876" not in page and "4321" not in page


def test_officer_changes_reach_the_registry(hub: ThreadHub) -> None:
    from bekasi_field.domain import pins
    seed_registry(hub.store)
    add_accounts(hub.store)
    version = hub.store.snapshot_version()
    client = login(hub.url)
    token = csrf_of(client, "/officers")
    r = client.post("/officers", data={"csrf": token, "officer_id": "PTG09", "name": "Dedi",
                                       "role": "petugas", "pin": "12", "sites": "Kota Baru"})
    assert r.status_code == 200 and "PIN" in r.text  # too short: said, nothing saved
    client.post("/officers", data={"csrf": token, "officer_id": "PTG09", "name": "Dedi",
                                   "role": "petugas", "pin": "4321", "sites": "Kota Baru"})
    client.post("/officers/PTG09/pin", data={"csrf": token, "pin": "9876"})
    with hub.store.read() as conn:
        row = conn.exec_driver_sql(
            "SELECT pin_hash, active FROM officers WHERE id = 'PTG09'").first()
    assert row is not None and pins.pin_matches(row[0], "9876") and row[1]
    assert hub.store.snapshot_version() > version  # the desks pull it
    page = client.get("/officers").text
    assert 'data-officer="PTG09"' in page


def test_events_of_every_kind_are_created_from_the_registry_page(hub: ThreadHub) -> None:
    from bekasi_field.services import events
    seed_registry(hub.store)
    add_accounts(hub.store)
    client = login(hub.url)
    page = client.get("/registry").text
    for kind in events.KINDS:
        assert f"<option>{kind}</option>" in page
    version = hub.store.snapshot_version()
    token = csrf_of(client, "/registry")
    r = client.post("/registry/events", data={
        "csrf": token, "kind": "handover", "programme": "KKS", "site": "Kota Baru",
        "serves": "Kota Baru", "start": "2026-12-01", "end": "2026-12-05"})
    assert r.status_code == 200 and 'id="event-created"' in r.text, r.text[-800:]
    assert hub.store.snapshot_version() > version  # the desks pull it
    r = client.post("/registry/events", data={
        "csrf": token, "kind": "handover", "programme": "NOPE", "site": "Kota Baru",
        "start": "2026-12-01"})
    assert 'id="event-error"' in r.text  # a clear message, nothing created
    ids = {e.id for e in events.list_events(hub.store.engine)}
    assert len(ids) == 2
    # The KTP/KK check of signed slips: a box, ticked unless the admin unticks it.
    assert re.search(r'<input type="checkbox" id="id-check" name="id_check" value="1" checked>',
                     page) and "Wajib cocokkan KTP/KK untuk undangan bertanda tangan" in page
    made: dict[str, events.EventInfo] = {}
    for label, sent in (("on", ["0", "1"]), ("off", ["0"])):  # what the form sends
        r = client.post("/registry/events", data={
            "csrf": token, "kind": "handover", "programme": "KKS", "site": "Kota Baru",
            "serves": "Kota Baru", "start": "2026-12-07", "name": f"Cek KTP {label}",
            "id_check": sent})
        assert 'id="event-created"' in r.text, r.text[-800:]
        [made[label]] = [e for e in events.list_events(hub.store.engine)
                         if e.name == f"Cek KTP {label}"]
    assert made["on"].as_json()["id_check"] is True
    assert made["off"].as_json()["id_check"] is False
    assert made["off"].params == {"id_check": False}  # stored with the event: in the snapshot
    assert events.get_event(hub.store.engine, ids.pop()).id_check  # posted without the field
