"""The desk's data at rest: SQLCipher database, sealed evidence, the data key (key store and
recovery passphrase), and the upgrade of a plain database made by the previous release."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
import test_keyring

from bekasi_field.services import journal
from bekasi_field.services.evidence import evidence_key, read_evidence
from bekasi_field.services.site import Site
from bekasi_field.store import datakey, encrypt_upgrade, opener

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "plain_v2"
# What the plain v2 fixture holds (made with commit 0ebeee6: `demo --households 12`, one
# hand-over with a photo and a signature, and a hub token row in meta).
FIXTURE_NIK = "3275024601770001"
FIXTURE_NAME = "Nurhayati Simanjuntak"
FIXTURE_TOKEN = "tok-FIXTURE-0123456789abcdef"
PASSPHRASE = "bekasi barat kota baru 2026"


def _plain_rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _all_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def _copy_fixture(home: Path) -> Path:
    shutil.copytree(FIXTURE / "desk_home", home)
    return home / "bekasi-field.db"


def test_plain_sqlite_cannot_read_the_database_nor_its_wal(site: Site) -> None:
    with site.db.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('probe', 'Siti Rahmawati 3275014101800001')")
    path = site.layout.database
    assert path.read_bytes()[:16] != b"SQLite format 3\x00"
    with pytest.raises(sqlite3.DatabaseError):
        _plain_rows(path, "SELECT count(*) FROM sqlite_master")
    everything = _all_bytes(site.layout.root)
    assert b"Siti Rahmawati" not in everything and b"3275014101800001" not in everything
    conn = site.db.raw()  # through the opener it reads, WAL and FULL as before
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert conn.execute("PRAGMA cipher_version").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_every_file_under_the_home_is_private(site: Site) -> None:
    journal.verify_journal(site.db)
    from bekasi_field.logging_setup import setup_logging
    setup_logging(site.layout.logs_dir)
    import logging
    logging.getLogger("bekasi_field.test").info("a line")
    conn = site.db.raw()  # keep -wal and -shm in existence while we look
    try:
        conn.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
        files = [p for p in site.layout.root.rglob("*") if p.is_file()]
        assert {p.name for p in files} >= {"bekasi-field.db", "bekasi-field.db-wal",
                                           "bekasi-field.db-shm", "data-key.json",
                                           "bekasi-field.log"}
        loose = {str(p.relative_to(site.layout.root)): oct(p.stat().st_mode & 0o777)
                 for p in files if p.stat().st_mode & 0o077}
        assert loose == {}
    finally:
        conn.close()


def test_the_v2_plain_database_is_converted_row_by_row_and_removed(home: Path) -> None:
    db = _copy_fixture(home)
    tables = [r[0] for r in _plain_rows(db, "SELECT name FROM sqlite_master WHERE type = "
                                             "'table' ORDER BY name")]
    # The columns the previous release had (later migrations add columns after the upgrade).
    cols = {t: ", ".join(f'"{r[1]}"' for r in _plain_rows(db, f'PRAGMA table_info("{t}")'))
            for t in tables}
    before = {t: _plain_rows(db, f'SELECT {cols[t]} FROM "{t}" ORDER BY rowid') for t in tables}
    assert FIXTURE_NIK.encode() in db.read_bytes()  # the fixture really is plain
    with Site.open(home) as site:
        conn = site.db.raw()
        try:
            after = {t: conn.execute(f'SELECT {cols[t]} FROM "{t}" ORDER BY rowid').fetchall()
                     for t in tables}
        finally:
            conn.close()
        after["meta"].remove(("evidence_sealed", "1"))  # what the upgrade itself adds
        assert after == before
        assert site.db.get_meta("hub_token") == FIXTURE_TOKEN
        assert journal.verify_journal(site.db).ok
        [entry] = [r for r in journal.list_entries(site.db) if r.kind == "handover"]
        assert entry.recipient_name == FIXTURE_NAME
        conn = site.db.raw()
        try:
            ev_rows = conn.execute("SELECT evidence FROM journal").fetchall()
        finally:
            conn.close()
        shas = list(json.loads(ev_rows[0][0]).values())
        assert len(shas) == 2
        for sha in shas:  # the old plain evidence files are sealed now, and still read
            assert read_evidence(site.layout.evidence_dir, sha, key=evidence_key(site))
    leftovers = sorted(p.name for p in home.iterdir() if "plain" in p.name or "encrypt" in p.name)
    assert leftovers == []
    everything = _all_bytes(home)
    for secret in (FIXTURE_NIK, FIXTURE_NAME, FIXTURE_TOKEN):
        assert secret.encode() not in everything, secret
    with pytest.raises(sqlite3.DatabaseError):
        _plain_rows(db, "SELECT count(*) FROM members")


def test_a_read_only_verb_on_a_plain_home_converts_it_too(home: Path) -> None:
    _copy_fixture(home)
    with Site.open(home, create=False) as site:  # what `journal verify` does
        assert journal.verify_journal(site.db).ok
    everything = _all_bytes(home)
    assert FIXTURE_NIK.encode() not in everything and FIXTURE_NAME.encode() not in everything


def test_a_conversion_that_fails_its_check_leaves_the_old_file_working(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = _copy_fixture(home)
    members = _plain_rows(db, "SELECT nik, name FROM members ORDER BY nik")

    def broken(plain: object, encrypted: object) -> None:
        raise opener.DatabaseError("simulated: the copy differs")

    monkeypatch.setattr(encrypt_upgrade, "verify_copy", broken)
    with pytest.raises(opener.DatabaseError):
        Site.open(home)
    assert _plain_rows(db, "SELECT nik, name FROM members ORDER BY nik") == members
    assert not (home / "bekasi-field.db.encrypting").exists()
    monkeypatch.undo()
    with Site.open(home) as site:  # the next start converts it
        conn = site.db.raw()
        try:
            assert conn.execute("SELECT nik, name FROM members ORDER BY nik").fetchall() == members
        finally:
            conn.close()


def test_a_conversion_killed_between_its_renames_is_completed_next_start(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = _copy_fixture(home)
    members = _plain_rows(db, "SELECT nik FROM members ORDER BY nik")
    real_replace = os.replace
    calls: list[str] = []

    def dies_on_second(src: object, dst: object) -> None:
        calls.append(str(dst))
        if Path(str(dst)) == db:  # plain -> .plain-old done; the copy never moved in
            raise KeyboardInterrupt
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(encrypt_upgrade.os, "replace", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        Site.open(home)
    assert not db.exists() and (home / "bekasi-field.db.plain-old").exists()
    monkeypatch.undo()
    with Site.open(home) as site:
        conn = site.db.raw()
        try:
            assert conn.execute("SELECT nik FROM members ORDER BY nik").fetchall() == members
        finally:
            conn.close()
    assert not (home / "bekasi-field.db.plain-old").exists()
    assert FIXTURE_NIK.encode() not in _all_bytes(home)


def test_a_copied_home_opens_on_another_account_only_with_the_passphrase(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Site.open(home, passphrase=PASSPHRASE) as site, site.db.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('probe', 'here')")
    copy = tmp_path / "copied"
    shutil.copytree(home, copy)
    # Another account: its own (empty) key store, nothing cached in this process.
    monkeypatch.setenv(test_keyring.ENV, str(tmp_path / "other-account.json"))
    datakey.forget_cached()
    with pytest.raises(datakey.PassphraseNeeded, match="frasa sandi pemulihan"):
        Site.open(copy, create=False)
    with pytest.raises(datakey.WrongPassphrase, match="salah"):
        Site.open(copy, create=False, passphrase="not the passphrase at all")
    with Site.open(copy, create=False, passphrase=PASSPHRASE) as site:
        assert site.db.get_meta("probe") == "here"
    datakey.forget_cached()
    with Site.open(copy, create=False) as site:  # now in this account's key store
        assert site.db.get_meta("probe") == "here"


def test_without_a_passphrase_a_copied_home_says_it_cannot_be_opened(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Site.open(home).close()  # key store only: no recovery passphrase was set
    monkeypatch.setenv(test_keyring.ENV, str(tmp_path / "other-account.json"))
    datakey.forget_cached()
    with pytest.raises(datakey.PassphraseNeeded, match="tidak dapat dibuka di sini"):
        Site.open(home, create=False, passphrase="whatever it is, it cannot help")


def test_a_machine_without_a_key_store_needs_the_passphrase_from_the_first_run(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(test_keyring.ENV)
    with pytest.raises(datakey.PassphraseNeeded) as refused:
        Site.open(home)
    assert refused.value.first_run and not (home / "bekasi-field.db").exists()
    monkeypatch.setenv(datakey.PASSPHRASE_ENV, PASSPHRASE)
    Site.open(home).close()
    datakey.forget_cached()
    with Site.open(home, create=False) as site:  # the variable again: no key store to use
        assert site.device_id
    monkeypatch.delenv(datakey.PASSPHRASE_ENV)
    datakey.forget_cached()
    with pytest.raises(datakey.PassphraseNeeded, match="BEKASI_FIELD_PASSPHRASE"):
        Site.open(home, create=False)


def test_a_script_without_the_passphrase_gets_exit_3_and_a_clear_message(
        home: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    def run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bekasi_field", "journal", "verify",
                               "--home", str(home), "--json"], capture_output=True, text=True,
                              timeout=120, stdin=subprocess.DEVNULL, env={**os.environ, **env},
                              check=False)

    Site.open(home, passphrase=PASSPHRASE).close()
    env = {test_keyring.ENV: str(tmp_path / "elsewhere.json")}
    refused = run(env)
    assert refused.returncode == 3 and "frasa sandi pemulihan" in refused.stderr
    assert "Traceback" not in refused.stderr
    ok = run({**env, datakey.PASSPHRASE_ENV: PASSPHRASE})
    assert ok.returncode == 0 and json.loads(ok.stdout)["ok"] is True


def test_the_key_file_holds_no_key_in_the_clear(site: Site) -> None:
    datakey.set_passphrase(site.layout.key_file, site.data_key, PASSPHRASE)
    text = site.layout.key_file.read_text()
    assert site.data_key.key.hex() not in text
    import base64
    assert base64.b64encode(site.data_key.key).decode() not in text
    assert "argon2id" in text and datakey.has_passphrase(site.layout.key_file)


def test_two_first_starts_at_once_agree_on_one_data_key(home: Path) -> None:
    import threading

    home.mkdir(parents=True)
    key_file = home / "data-key.json"
    keys: list[datakey.DataKey] = []
    barrier = threading.Barrier(4)

    def first_start() -> None:
        barrier.wait()
        keys.append(datakey.open_data_key(key_file))

    threads = [threading.Thread(target=first_start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    datakey.forget_cached()
    final = datakey.open_data_key(key_file)
    assert len(keys) == 4 and {k.key for k in keys} == {final.key}


def test_the_cli_adds_no_supervisor_to_a_site_without_a_recovery_passphrase(
        cli, site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's first run: on a machine with a key store the data key needs no passphrase to
    open, so the first supervisor must set the site's recovery passphrase, or is not added."""
    from bekasi_field.services import officers
    monkeypatch.delenv("BEKASI_FIELD_NEW_PASSPHRASE", raising=False)
    assert cli("officer", "add", "PTG01", "--name", "Sari", "--role", "petugas",
               "--pin", "2468").code == 0  # a petugas cannot set it: not asked
    args = ("officer", "add", "SPV01", "--name", "Wati", "--role", "supervisor", "--pin",
            "432100", "--json")
    r = cli(*args)  # no terminal (a script) and no BEKASI_FIELD_NEW_PASSPHRASE
    assert r.code == 3 and "frasa sandi pemulihan" in r.err
    assert "BEKASI_FIELD_NEW_PASSPHRASE" in r.err and "Traceback" not in r.err
    assert officers.get_officer(site.db, "SPV01") is None
    monkeypatch.setenv("BEKASI_FIELD_NEW_PASSPHRASE", "pendek")
    r = cli(*args)
    assert r.code == 3 and "minimal" in r.err
    assert officers.get_officer(site.db, "SPV01") is None
    assert not datakey.has_passphrase(site.layout.key_file)
    monkeypatch.setenv("BEKASI_FIELD_NEW_PASSPHRASE", PASSPHRASE)
    r = cli(*args)
    assert r.code == 0, r.err
    assert r.json["passphrase_set"] is True and datakey.has_passphrase(site.layout.key_file)
    assert officers.get_officer(site.db, "SPV01") is not None
    r = cli("officer", "add", "SPV02", "--name", "Dewi", "--role", "supervisor", "--pin",
            "654321", "--json")
    assert r.code == 0 and "passphrase_set" not in r.json  # set once, not asked again
