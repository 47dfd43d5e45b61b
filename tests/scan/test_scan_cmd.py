"""`bekasi-field scan`: real slips from the demo site, printed to PDF or photographed, each
decoded with its verdict; videos give each slip once with its frame; no code, no result."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
import zxingcpp

from bekasi_field.scan.synthetic import desk, photo, place, slip_card, write_video
from bekasi_field.services.demo import build_demo
from bekasi_field.services.keys import ensure_signer
from bekasi_field.services.site import Site
from bekasi_field.services.slips import event_slip_cards


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    home = tmp_path_factory.mktemp("scan-demo")
    site_info = build_demo(home=home, households=60)
    with Site.open(home) as site:
        signer = ensure_signer(site.db.engine, site.layout.keys_dir)
        main = event_slip_cards(engine=site.db.engine, event_id=site_info.event_id,
                                signer=signer)
        other = event_slip_cards(engine=site.db.engine, event_id=site_info.sibling_event_id,
                                 signer=signer)
    return {"home": home, "event": site_info.event_id,
            "eligible": [c.qr_text for c in main], "wrong_site": [c.qr_text for c in other]}


def _scan(cli, demo: dict, *files: Path | str, extra: tuple[str, ...] = ()):
    return cli("scan", *files, "--event", demo["event"], "--home", demo["home"], "--json", *extra)


def test_printed_slip_page_reads_every_slip_as_eligible(cli, demo: dict,
                                                        tmp_path: Path) -> None:
    pdf_path = tmp_path / "slips.pdf"
    r = cli("slips", demo["event"], "--out", pdf_path, "--home", demo["home"], "--json")
    assert r.code == 0, r.err
    page = tmp_path / "halaman 1.png"
    pdfium.PdfDocument(pdf_path)[0].render(scale=150 / 72).to_pil().save(page)
    r = _scan(cli, demo, page)
    assert r.code == 0, r.err
    results = r.json["results"]
    assert len(results) >= 4
    assert {x["verdict"] for x in results} == {"ELIGIBLE"}
    assert {x["file"] for x in results} == {str(page)}
    assert len({x["household_id"] for x in results}) == len(results)
    assert {x["text"] for x in results} <= set(demo["eligible"])
    assert all(x["frame"] is None for x in results)


def test_photos_give_every_code_with_its_verdict_and_nothing_for_empty_ones(
        cli, demo: dict, tmp_path: Path) -> None:
    mine, elsewhere = demo["eligible"][0], demo["wrong_site"][0]
    both = tmp_path / "dua slip.jpg"
    cv2.imwrite(str(both), photo("two_codes", 3, texts=[mine, elsewhere]).image)
    empty = tmp_path / "meja kosong.jpg"
    cv2.imwrite(str(empty), photo("no_code", 3).image)
    dark = tmp_path / "gelap.png"
    cv2.imwrite(str(dark), photo("dark", 100, texts=[demo["eligible"][1]]).image)
    r = _scan(cli, demo, both, empty, dark)
    assert r.code == 0, r.err
    got = {(x["file"], x["verdict"]) for x in r.json["results"]}
    assert got == {(str(both), "ELIGIBLE"), (str(both), "WRONG_SITE"), (str(dark), "ELIGIBLE")}
    assert r.json["files"] == 3


def test_folder_of_images(cli, demo: dict, tmp_path: Path) -> None:
    for i, text in enumerate(demo["eligible"][:3]):
        cv2.imwrite(str(tmp_path / f"{i}.jpg"), photo("clean", i, texts=[text]).image)
    r = _scan(cli, demo, tmp_path)
    assert r.code == 0, r.err
    assert [x["text"] for x in r.json["results"]] == demo["eligible"][:3]


def test_video_gives_each_slip_once_with_its_frame(cli, demo: dict,
                                                   tmp_path: Path) -> None:
    video = tmp_path / "meja.avi"
    shown = [demo["eligible"][2], demo["wrong_site"][1], demo["eligible"][2]]
    write_video(video, shown, hold=6, gap=4, seed=5)
    r = _scan(cli, demo, video)
    assert r.code == 0, r.err
    results = r.json["results"]
    assert [x["text"] for x in results] == shown[:2]
    assert [x["verdict"] for x in results] == ["ELIGIBLE", "WRONG_SITE"]
    assert 4 <= results[0]["frame"] < 10 and 14 <= results[1]["frame"] < 20


def test_card_number_barcodes_with_cards_option(cli, demo: dict,
                                                tmp_path: Path) -> None:
    from home_db import connect_home
    conn = connect_home(Path(demo["home"]))
    with conn:
        row = conn.execute("SELECT id, kks_card FROM households WHERE kks_card IS NOT NULL "
                           "ORDER BY id LIMIT 1").fetchone()
    conn.close()
    if row is None:
        pytest.skip("demo data has no KKS card numbers")
    hid, card = row
    bars = np.asarray(zxingcpp.write_barcode_to_image(
        zxingcpp.create_barcode(card, zxingcpp.BarcodeFormat.Code128), scale=3), np.uint8)
    img = tmp_path / "kartu.png"
    cv2.imwrite(str(img), np.pad(bars, 40, constant_values=255))
    assert _scan(cli, demo, img).json["results"] == []  # QR only by default
    r = _scan(cli, demo, img, extra=("--cards",))
    assert [(x["text"], x["household_id"]) for x in r.json["results"]] == [(card, hid)]


def test_text_output_masks_and_summarises(cli, demo: dict, tmp_path: Path) -> None:
    img = tmp_path / "slip.png"
    card = slip_card(demo["eligible"][3], 4.0, rng=np.random.default_rng(1))
    frame = desk(np.random.default_rng(2), 900, 600)
    place(frame, card, rng=np.random.default_rng(3), centre=(450, 300))
    cv2.imwrite(str(img), frame)
    empty = tmp_path / "kosong.png"
    cv2.imwrite(str(empty), desk(np.random.default_rng(4), 640, 480))
    r = cli("scan", img, empty, "--event", demo["event"], "--home", demo["home"])
    assert r.code == 0, r.err
    assert "BERHAK (ELIGIBLE)" in r.out and "KPM " in r.out
    assert demo["eligible"][3] not in r.out  # the long slip text is not dumped on screen
    assert "kosong.png: tidak ada kode yang terbaca." in r.out
    assert "1 kode terbaca dari 2 berkas." in r.out


def test_errors_are_clear_and_exit_3(cli, demo: dict, tmp_path: Path) -> None:
    r = _scan(cli, demo, tmp_path / "tidak-ada.png")
    assert r.code == 3 and "tidak-ada.png" in r.err and "Traceback" not in r.err
    junk = tmp_path / "rusak.jpg"
    junk.write_bytes(b"\xff\xd8 not really a jpeg")
    r = _scan(cli, demo, junk)
    assert r.code == 3 and "rusak.jpg" in r.err
    ok = tmp_path / "ok.png"
    cv2.imwrite(str(ok), desk(np.random.default_rng(5), 320, 240))
    r = cli("scan", ok, "--event", "TIDAK-ADA", "--home", demo["home"], "--json")
    assert r.code == 3 and "TIDAK-ADA" in r.err
    r = cli("scan", "--event", demo["event"], "--home", demo["home"])
    assert r.code == 2


def _recipient(demo: dict) -> tuple[str, str, str]:
    """(NIK, name, household id) of a designated recipient entitled in the demo event."""
    from sqlalchemy import text

    with Site.open(Path(demo["home"])) as site, site.db.engine.connect() as conn:
        row = conn.execute(text(
            "SELECT m.nik, m.name, m.household_id FROM members m JOIN entitlements e "
            "ON e.household_id = m.household_id WHERE m.is_recipient AND e.event_id = :e "
            "ORDER BY m.nik LIMIT 1"), {"e": demo["event"]}).one()
    return row[0], row[1], row[2]


def test_ktp_photo_gives_the_nik_the_printed_name_and_the_verdict(
        cli, demo: dict, tmp_path: Path) -> None:
    import datetime as dt

    from bekasi_field.scan.synthetic_ktp import KtpPerson, card_image, ktp_photo

    nik, name, household = _recipient(demo)
    person = KtpPerson(nik=nik, name=name.upper(), birth_place="BEKASI",
                       birth_date=dt.date(1980, 1, 1), sex="L", address="JL. MELATI NO. 3",
                       rt_rw="003/007", kelurahan="KOTA BARU", kecamatan="BEKASI BARAT")
    frame = ktp_photo("clean", 21, person=person).image
    path = tmp_path / "ktp warga.jpg"
    cv2.imwrite(str(path), frame, [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert card_image(person).shape[:2] == (540, 856)
    r = _scan(cli, demo, path)
    assert r.code == 0, r.err
    (result,) = r.json["results"]
    assert result["kind"] == "ktp"
    assert result["text"] == nik
    assert result["household_id"] == household
    assert result["verdict"] == "ELIGIBLE"
    assert result["name"].replace(" ", "")[:5] == name.upper().replace(" ", "")[:5]
    # On the terminal the NIK is masked.
    r = cli("scan", path, "--event", demo["event"], "--home", demo["home"])
    assert nik not in r.out and nik[-4:] in r.out


def test_no_ktp_flag_reads_codes_only(cli, demo: dict, tmp_path: Path) -> None:
    from bekasi_field.scan.synthetic_ktp import ktp_photo

    path = tmp_path / "ktp.png"
    cv2.imwrite(str(path), ktp_photo("clean", 22).image)
    r = _scan(cli, demo, path, extra=("--no-ktp",))
    assert r.code == 0, r.err
    assert r.json["results"] == []
