"""Console accounts: argon2id, password length, lock-out with back-off, `hub admin add`, and the
console address printed by `bekasi-field hub`."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from helpers_hub import ProcessHub

from bekasi_field.hub.console import accounts
from bekasi_field.hub.console.models import ConsoleAccount
from bekasi_field.hub.store import HubStore


def _hash(store: HubStore, account_id: str) -> str:
    t = ConsoleAccount.__table__
    with store.read() as conn:
        return conn.execute(t.select().where(t.c.id == account_id)).mappings().one()[
            "password_hash"]


def test_passwords_are_argon2id_and_administrators_need_ten_characters(
        hub_store: HubStore) -> None:
    with hub_store.write() as conn:
        with pytest.raises(accounts.BekasiError, match="10"):
            accounts.add_account(conn, account_id="adm", password="123456789", role="admin")
        accounts.add_account(conn, account_id="adm", password="1234567890", role="admin")
        with pytest.raises(accounts.BekasiError):  # a supervisor needs sites
            accounts.add_account(conn, account_id="spv", password="abcdefghij",
                                 role="supervisor")
    assert _hash(hub_store, "adm").startswith("$argon2id$")
    assert "1234567890" not in _hash(hub_store, "adm")


def test_lockout_backs_off_and_expires(hub_store: HubStore) -> None:
    assert [accounts.backoff(n) for n in (1, 2)] == [None, None]
    assert accounts.backoff(3) == dt.timedelta(seconds=30)
    assert accounts.backoff(4) == dt.timedelta(seconds=60)
    assert accounts.backoff(30) == accounts.BACKOFF_MAX
    t0 = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
    with hub_store.write() as conn:
        accounts.add_account(conn, account_id="adm", password="benar-sekali-1", role="admin")
    for i in range(4):
        with hub_store.write() as conn, pytest.raises(accounts.LoginRefused):
            accounts.login(conn, account_id="adm", password="salah",
                           now=t0 + dt.timedelta(minutes=5 * i))
    with hub_store.write() as conn:
        # 4 failures: locked 60 s from the last one, even for the right password
        with pytest.raises(accounts.LoginRefused, match="dikunci"):
            accounts.login(conn, account_id="adm", password="benar-sekali-1",
                           now=t0 + dt.timedelta(minutes=15, seconds=59))
        ok = accounts.login(conn, account_id="adm", password="benar-sekali-1",
                            now=t0 + dt.timedelta(minutes=16, seconds=1))
    assert ok.is_admin
    with hub_store.write() as conn, pytest.raises(accounts.LoginRefused, match="salah"):
        accounts.login(conn, account_id="nobody", password="benar-sekali-1")


def test_hub_admin_add_with_password_prompted_and_refused(cli, hub_db_url: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    r = cli("hub", "admin", "add", "kadis", "--password", "pendek", "--db", hub_db_url)
    assert r.code == 3 and "10" in r.err
    r = cli("hub", "admin", "add", "kadis", "--password", "cukup-panjang-1", "--db", hub_db_url,
            "--json")
    assert r.code == 0 and r.json == {"id": "kadis", "role": "admin", "sites": []}
    monkeypatch.setattr("sys.stdin", io.StringIO("sandi-supervisor\n"))  # no --password
    r = cli("hub", "admin", "add", "spv.kb", "--role", "supervisor", "--sites",
            "Kota Baru,Kranji", "--db", hub_db_url, "--json")
    assert r.code == 0, r.err
    assert r.json["sites"] == ["Kota Baru", "Kranji"]
    r = cli("hub", "admin", "list", "--db", hub_db_url, "--json")
    assert [a["id"] for a in r.json["accounts"]] == ["kadis", "spv.kb"]
    store = HubStore.open(hub_db_url)
    try:
        with store.write() as conn:
            assert accounts.login(conn, account_id="spv.kb", password="sandi-supervisor").sites \
                == ("Kota Baru", "Kranji")
    finally:
        store.dispose()


def test_the_hub_prints_its_console_address(tmp_path: Path) -> None:
    hub = ProcessHub(f"sqlite:///{tmp_path / 'hub.db'}", tmp_path / "home").start()
    try:
        import httpx
        assert httpx.get(hub.url + "/console/", follow_redirects=False).status_code == 303
    finally:
        hub.stop()
    assert f"{hub.url}/console/" in hub.log.read_text(encoding="utf-8")
