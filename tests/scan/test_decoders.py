"""Both decoders read our slips; a missing library is reported once and the other one is used."""

from __future__ import annotations

import logging
from types import ModuleType

import cv2
import numpy as np
import pytest
import qrcode

from bekasi_field.scan import decoders
from bekasi_field.scan.chain import DecoderChain, NoDecoderError
from bekasi_field.scan.decoders import (
    QR_AND_CARDS,
    ZbarDecoder,
    ZxingDecoder,
    available_decoders,
    make_decoders,
)


@pytest.mark.parametrize("cls", [ZxingDecoder, ZbarDecoder])
def test_each_decoder_reads_a_slip_exactly(cls: type, slip_image: np.ndarray,
                                           texts: list[str]) -> None:
    dec = cls()
    found = dec.decode(slip_image)
    assert [d.text for d in found] == [texts[0]]
    d = found[0]
    assert d.decoder == dec.name and d.symbology == "qr"
    assert len(d.points) == 4
    cx, cy = d.centre()
    # The QR is the left square of the card, 40 px margin + padding in.
    assert 40 < cx < 40 + slip_image.shape[0] and 40 < cy < slip_image.shape[0] - 40


@pytest.mark.parametrize("cls", [ZxingDecoder, ZbarDecoder])
def test_decoders_find_nothing_in_empty_or_odd_images(cls: type) -> None:
    dec = cls()
    rng = np.random.default_rng(1)
    assert dec.decode(np.full((480, 640), 128, np.uint8)) == []
    assert dec.decode(rng.integers(0, 256, (480, 640), dtype=np.uint8)) == []
    assert dec.decode(np.zeros((1, 1), np.uint8)) == []


def test_card_numbers_as_code128_only_when_asked() -> None:
    import zxingcpp

    card = "5264221234567892"
    barcode = zxingcpp.create_barcode(card, zxingcpp.BarcodeFormat.Code128)
    bars = np.asarray(zxingcpp.write_barcode_to_image(barcode, scale=3), dtype=np.uint8)
    img = np.pad(bars, 30, constant_values=255)
    assert ZxingDecoder().decode(img) == []
    assert [d.text for d in ZxingDecoder(QR_AND_CARDS).decode(img)] == [card]
    assert [d.text for d in ZbarDecoder(QR_AND_CARDS).decode(img)] == [card]


def _without(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real = decoders._import

    def fake_import(name: str) -> ModuleType:
        if name == module:
            raise ImportError(f"Unable to find {module} shared library")
        return real(name)

    monkeypatch.setattr(decoders, "_import", fake_import)


def test_missing_zbar_is_reported_once_and_zxing_is_used(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        slip_image: np.ndarray, texts: list[str]) -> None:
    _without("pyzbar.pyzbar", monkeypatch)
    with caplog.at_level(logging.WARNING, logger="bekasi_field.scan.decoders"):
        first = make_decoders()
        second = make_decoders()
        report = available_decoders()
    assert [d.name for d in first] == [d.name for d in second] == ["zxing"]
    assert report["zxing"] is None and "zbar" in report and report["zbar"]
    assert sum("zbar unavailable" in r.getMessage() for r in caplog.records) == 1
    chain = DecoderChain(budget_ms=None)
    assert chain.names == ["zxing"]
    assert [d.text for d in chain.decode(slip_image)] == [texts[0]]


def test_missing_zxing_falls_back_to_zbar(monkeypatch: pytest.MonkeyPatch,
                                          slip_image: np.ndarray, texts: list[str]) -> None:
    _without("zxingcpp", monkeypatch)
    chain = DecoderChain(budget_ms=None)
    assert chain.names == ["zbar"]
    assert chain.pass_names[0] == "zbar:plain"
    assert [d.text for d in chain.decode(slip_image)] == [texts[0]]


def test_no_decoder_at_all_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = decoders._import

    def fake_import(name: str) -> ModuleType:
        if name in ("zxingcpp", "pyzbar.pyzbar"):
            raise OSError("broken install")
        return real(name)

    monkeypatch.setattr(decoders, "_import", fake_import)
    with pytest.raises(NoDecoderError) as err:
        DecoderChain()
    assert "zxing-cpp" in err.value.message


def test_both_decoders_present_here() -> None:
    """CI installs libzbar0: both libraries must load, or the fall-back is untested."""
    assert available_decoders() == {"zxing": None, "zbar": None}


def test_utf8_text_survives_both_decoders() -> None:
    text = "Kota Baru — Kranji, Rp250.000"
    img = np.asarray(qrcode.make(text, box_size=5, border=4).convert("L"), dtype=np.uint8)
    img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)[:, :, 0].copy()
    assert [d.text for d in ZxingDecoder().decode(img)] == [text]
    assert [d.text for d in ZbarDecoder().decode(img)] == [text]
