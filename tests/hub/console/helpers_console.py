"""Shared by the console tests: accounts, a logged-in HTTP client, the CSRF token of a page."""

from __future__ import annotations

import re

import httpx

from bekasi_field.hub.console import accounts
from bekasi_field.hub.store import HubStore

ADMIN, ADMIN_PW = "admin.dinsos", "kata-sandi-rahasia"
SUPERVISOR, SUPERVISOR_PW = "spv.kotabaru", "sandi-spv-123"
OPEN_CLIENTS: list[httpx.Client] = []  # closed after each test by conftest


def add_accounts(store: HubStore, *, supervisor_sites: tuple[str, ...] = ("Kota Baru",)) -> None:
    with store.write() as conn:
        accounts.add_account(conn, account_id=ADMIN, password=ADMIN_PW, role="admin")
        accounts.add_account(conn, account_id=SUPERVISOR, password=SUPERVISOR_PW,
                             role="supervisor", sites=list(supervisor_sites))


def login(url: str, account: str = ADMIN, password: str = ADMIN_PW) -> httpx.Client:
    client = httpx.Client(base_url=url + "/console", follow_redirects=False, timeout=30)
    OPEN_CLIENTS.append(client)
    r = client.post("/login", data={"account_id": account, "password": password})
    assert r.status_code == 303, r.text
    return client


def csrf_of(client: httpx.Client, path: str = "/") -> str:
    r = client.get(path)
    assert r.status_code == 200, r.text
    found = re.search(r'name="csrf" value="([^"]+)"', r.text)
    assert found, "page without a CSRF field"
    return found.group(1)
