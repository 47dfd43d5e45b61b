"""TLS and pinning (issue 12.9): the hub serves TLS with a certificate it makes on first run
(0600 beside its keys) or with given files; a desk pins the certificate at enrolment, checked
against the fingerprint shown at the hub, and refuses a hub that presents another one (a
machine in the middle) with a clear message, sending nothing; plain HTTP only on loopback."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from helpers_hub import ProcessHub, enrol_code, handover, seed_registry
from sqlalchemy import func, select

from bekasi_field.domain.errors import BekasiError
from bekasi_field.hub.models import HubJournal
from bekasi_field.hub.site_hub import hub_fingerprint
from bekasi_field.hub.store import HubStore
from bekasi_field.hub.tls import made_paths
from bekasi_field.services import sync_service
from bekasi_field.services.site import Site
from bekasi_field.sync import tls_pin
from bekasi_field.sync.client import HubClient


def _other_certificate(folder: Path) -> tuple[Path, Path]:
    """What a machine in the middle presents: a certificate of its own, same name."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bekasi-field hub")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = folder / "mitm.pem", folder / "mitm.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def _stored(store: HubStore, device: str) -> int:
    j = HubJournal.__table__
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(j)
                                .where(j.c.device_id == device)).scalar_one())


@pytest.fixture
def tls_hub(tmp_path: Path) -> Iterator[tuple[ProcessHub, HubStore, str]]:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    store = HubStore.open(url)
    seed_registry(store, households=4)
    server = ProcessHub(url, tmp_path / "hub-home", extra=("--tls",)).start()
    yield server, store, url
    server.stop()
    store.dispose()


def test_a_hub_with_another_certificate_is_refused_and_the_pinned_one_works(
        tls_hub: tuple[ProcessHub, HubStore, str], tmp_path: Path) -> None:
    server, store, db_url = tls_hub
    assert server.url.startswith("https://")
    # Made on first run, beside the hub's keys, readable by the hub's account only.
    files = made_paths(store.key_dir, store.hub_id())
    assert files.cert.exists() and files.key.exists()
    if os.name == "posix":
        assert files.key.stat().st_mode & 0o777 == 0o600
        assert files.cert.stat().st_mode & 0o777 == 0o600
    shown = hub_fingerprint(store)  # what `hub` and `hub enrol-code` print
    assert shown == tls_pin.short(files.fingerprint())
    site = Site.open(tmp_path / "desk")
    try:
        # A fingerprint other than the hub's: nothing is enrolled.
        with pytest.raises(BekasiError) as wrong:
            sync_service.sync_now(site=site, hub_url=server.url, enrol_code=enrol_code(store),
                                  fingerprint="0000-1111-2222-3333")
        assert "Pendaftaran dibatalkan" in wrong.value.message and shown in wrong.value.message
        assert not sync_service.is_enrolled(site.db)
        # The fingerprint shown at the hub: enrolled, the certificate pinned, sync works.
        sync_service.sync_now(site=site, hub_url=server.url, enrol_code=enrol_code(store),
                              fingerprint=shown)
        assert tls_pin.fingerprint(site.db.get_meta("hub_tls_cert")) == files.fingerprint()
        handover(site, "KPM-0001")
        assert sync_service.sync_now(site=site).pushed == 1
        # The same address now answers with another certificate (a machine in the middle, or
        # a hub re-installed without its files): refused in the handshake, nothing sent.
        server.stop()
        cert, key = _other_certificate(tmp_path / "mitm")
        mitm = ProcessHub(db_url, tmp_path / "mitm-home", port=server.port,
                          extra=("--cert", str(cert), "--key", str(key))).start()
        try:
            handover(site, "KPM-0002")
            with pytest.raises(BekasiError) as refused:
                sync_service.sync_now(site=site, attempts=1)
            message = refused.value.message
            assert "BUKAN yang dicatat saat pendaftaran" in message
            assert shown in message  # the pinned one, and the one seen:
            assert tls_pin.short(tls_pin.fingerprint(cert.read_text())) in message
            assert sync_service.pending_count(site.db) == 1
            assert _stored(store, site.device_id) == 1
        finally:
            mitm.stop()
        # The real hub back: the queued hand-over goes through.
        server = ProcessHub(db_url, tmp_path / "hub-home", port=server.port,
                            extra=("--tls",)).start()
        assert sync_service.sync_now(site=site).pushed == 1
        assert _stored(store, site.device_id) == 2
    finally:
        server.stop()
        site.close()


def test_plain_http_is_refused_for_another_machine() -> None:
    with pytest.raises(BekasiError) as refused:
        HubClient("http://192.0.2.10:8470")
    assert "https://" in refused.value.message and "tidak aman" in refused.value.message
    HubClient("http://127.0.0.1:8470").close()  # a hub on this laptop (and tests) may
    HubClient("https://192.0.2.10:8470").close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_made_certificate_is_kept_and_served_again(tmp_path: Path) -> None:
    from bekasi_field.hub.tls import ensure_certificate
    first = ensure_certificate(tmp_path, "abc")
    again = ensure_certificate(tmp_path, "abc")
    assert first == again and first.fingerprint() == again.fingerprint()
    assert first.key.stat().st_mode & 0o777 == 0o600


def test_the_console_enrolment_qr_carries_the_certificate_fingerprint() -> None:
    from bekasi_field.domain.enrol_qr import enrol_qr_fingerprint, enrol_qr_text, parse_enrol_qr
    text = enrol_qr_text(hub_url="https://192.168.1.20:8470", code="YRL4-4LMA",
                         fingerprint="3F2A-91C0-77DE-0B15")
    assert parse_enrol_qr(text) == ("https://192.168.1.20:8470", "YRL4-4LMA")
    assert enrol_qr_fingerprint(text) == "3F2A-91C0-77DE-0B15"
    assert enrol_qr_fingerprint(enrol_qr_text(hub_url="http://127.0.0.1:1", code="C")) is None
