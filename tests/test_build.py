"""The packaged build. The full build runs in CI (.ci/run: `make build` + the self-test of
dist/); here it runs only with BEKASI_BUILD_TEST=1 (minutes of CPU). The zbar runtime hook is
tested on its own."""

from __future__ import annotations

import ctypes.util
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_runtime_hook_points_pyzbar_at_the_bundled_libzbar(tmp_path, monkeypatch) -> None:
    (tmp_path / "libzbar.so.0").write_bytes(b"\x7fELF")
    original = ctypes.util.find_library
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    try:
        runpy.run_path(str(ROOT / "packaging" / "pyi_rth_zbar.py"))
        assert ctypes.util.find_library("zbar") == str(tmp_path / "libzbar.so.0")
        assert ctypes.util.find_library("c") == original("c")  # others untouched
    finally:
        ctypes.util.find_library = original


def test_spec_bundles_what_the_app_loads_by_name() -> None:
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert '"resources"' in spec and "pyi_rth_zbar.py" in spec
    assert '"pyzbar.pyzbar"' in spec and '"zxingcpp"' in spec
    assert 'collect_submodules("bekasi_field")' in spec  # commands and catalogues by name
    for unused in ("QtWebEngineCore", "Qt3DCore", "QtQuick", "QtCharts", "QtPdf"):
        assert f'"{unused}"' in spec
    assert (ROOT / "bekasi_field" / "resources" / "samples" / "sample_slip.png").is_file()


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("BEKASI_BUILD_TEST") != "1",
                    reason="set BEKASI_BUILD_TEST=1 to build with PyInstaller here (CI builds "
                           "it in .ci/run)")
def test_pyinstaller_build_passes_its_self_test(tmp_path) -> None:
    dist, work = tmp_path / "dist", tmp_path / "build"
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(dist),
         "--workpath", str(work), str(ROOT / "build.spec")],
        check=True, cwd=ROOT, capture_output=True, timeout=1800,
    )
    exe = dist / "bekasi-field" / ("bekasi-field.exe" if os.name == "nt" else "bekasi-field")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([str(exe), "--self-test"], check=False, capture_output=True, text=True,
                          timeout=300, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "frozen" in proc.stdout and "decoder zbar" in proc.stdout
    version = subprocess.run([str(exe), "--version"], check=True, capture_output=True, text=True,
                             timeout=120, cwd=tmp_path)
    assert version.stdout.startswith("bekasi-field ")
