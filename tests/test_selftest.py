"""`bekasi-field --self-test` from source; the packaged build runs it in .ci/run (tests/test_build.py)."""

from __future__ import annotations

import importlib
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from bekasi_field import paths, selftest
from bekasi_field.paths import resource_path


def test_self_test_passes_and_names_each_check(cli, home: Path) -> None:
    r = cli("--self-test")
    assert r.code == 0, r.out + r.err
    for name in ("database", "roster import", "slip codec", "decoder zxing", "slip PDF",
                 "reports", "Qt"):
        assert re.search(rf"^\s+OK\s+{name}\s", r.out, re.MULTILINE), (name, r.out)
    assert "Uji mandiri berhasil" in r.out
    assert not home.exists()  # a self-test leaves no data directory behind


def test_a_damaged_bundle_fails_with_the_reason(cli, tmp_path, monkeypatch) -> None:
    """A build whose sample was altered: the signature and the decoders must both notice."""
    fake = tmp_path / "bundle"
    shutil.copytree(resource_path(), fake / "resources")
    sample = fake / "resources" / "samples" / "sample_slip.json"
    meta = json.loads(sample.read_text(encoding="utf-8"))
    meta["public_key_hex"] = "00" * 32
    sample.write_text(json.dumps(meta), encoding="utf-8")
    (fake / "resources" / "samples" / "sample_slip.png").write_bytes(b"not a png")
    monkeypatch.setattr(paths, "resources_root", lambda: fake / "resources")
    r = cli("--self-test")
    assert r.code == 1
    assert "GAGAL   slip codec" in r.out and "signature does not verify" in r.out
    assert "GAGAL   decoder zxing" in r.out and "OpenCV cannot read" in r.out
    assert "Uji mandiri GAGAL" in r.out


def test_frozen_build_requires_every_decoder(tmp_path, monkeypatch) -> None:
    from bekasi_field.scan import decoders

    def no_zbar(module: str):
        if module.startswith("pyzbar"):
            raise ImportError("Unable to find zbar shared library")
        return importlib.import_module(module)

    # decoders._import is the seam for simulating a missing library.
    monkeypatch.setattr(decoders, "_import", no_zbar)
    decoders.reset_availability()
    check = [("decoder zbar", selftest._decoder_check("zbar"))]
    try:
        [from_source] = selftest.run_checks(check)
        monkeypatch.setattr(sys, "frozen", True, raising=False)
        [frozen] = selftest.run_checks(check)
    finally:
        decoders.reset_availability()
    assert from_source.status == "skip"  # a source install may lack libzbar0
    assert frozen.status == "fail" and "zbar" in frozen.detail  # the build must bundle it


@pytest.mark.parametrize("lang", ["en"])
def test_summary_in_english(cli, lang) -> None:
    from bekasi_field import i18n

    i18n.set_language(lang)
    try:
        r = cli("--self-test")
    finally:
        i18n.set_language("id")
    assert "Self-test passed" in r.out
