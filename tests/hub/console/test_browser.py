"""The console in a real browser: Debian's Chromium driven by Selenium through chromedriver.

Log in, the overview's numbers against `hub progress --json`, a conflict reviewed by clicking,
a held void accepted by clicking,
an enrolment code whose QR (read back from a screenshot) enrols a real desk, a roster upload
with its rejections, a request without the CSRF token refused, a page without a login
redirected; a screenshot of every page at 1366x768 and 390x844 (BEKASI_CONSOLE_SHOTS=DIR keeps
them for a look)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from helpers_console import ADMIN, ADMIN_PW, add_accounts
from helpers_hub import EVENT, ThreadHub, enrol_code, handover, seed_registry

from bekasi_field.domain.enrol_qr import parse_enrol_qr
from bekasi_field.hub import crud, held_voids
from bekasi_field.services import sync_service
from bekasi_field.services.journal import void_entry
from bekasi_field.services.site import Site

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
ROSTER = Path(__file__).resolve().parents[2] / "data" / "rosters" / "messy_semicolon_bom.csv"

pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)),
    reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    # Chromium writes a profile, crash reports and a dconf cache under HOME: its own HOME and
    # profile in a temp dir keep the user's home (and the suite's guard) untouched.
    own = tmp_path_factory.mktemp("chromium")
    env = {**os.environ, "HOME": str(own), "XDG_CONFIG_HOME": str(own / "config"),
           "XDG_CACHE_HOME": str(own / "cache"), "XDG_DATA_HOME": str(own / "data")}
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    opts.add_argument(f"--user-data-dir={own / 'profile'}")
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--window-size=1366,768"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER, env=env), options=opts)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def shots(tmp_path: Path) -> Iterator[Path]:
    d = tmp_path / "shots"
    d.mkdir()
    yield d
    keep = os.environ.get("BEKASI_CONSOLE_SHOTS")
    if keep:
        shutil.copytree(d, keep, dirs_exist_ok=True)


def _wait(driver, css: str, timeout: float = 15):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, timeout).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def _shoot(driver, shots: Path, name: str, *, at=None) -> None:  # type: ignore[no-untyped-def]
    for size, (w, h) in SIZES.items():
        # The viewport exactly (a window size would include the browser's own bars).
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": w, "height": h, "deviceScaleFactor": 1, "mobile": size == "phone"})
        if at is not None:  # this element in the middle of the picture
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", at)
        driver.save_screenshot(str(shots / f"{name}-{size}.png"))
        wide = driver.execute_script(
            "return document.documentElement.scrollWidth > window.innerWidth + 2")
        # Tables scroll inside their own box; the page itself never scrolls sideways.
        assert not wide, f"{name} scrolls sideways at {size}"
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": SIZES["laptop"][0], "height": SIZES["laptop"][1], "deviceScaleFactor": 1,
        "mobile": False})


def _login(driver, url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    driver.delete_all_cookies()
    driver.get(url + "/console/conflicts")
    assert driver.current_url == url + "/console/login"  # no login: redirected
    driver.find_element(By.ID, "account_id").send_keys(ADMIN)
    driver.find_element(By.ID, "password").send_keys(ADMIN_PW)
    driver.find_element(By.ID, "login").click()
    _wait(driver, "#overview")


def _photo() -> bytes:
    img = np.full((240, 320, 3), 200, np.uint8)
    cv2.putText(img, "KTP", (90, 140), cv2.FONT_HERSHEY_SIMPLEX, 2.5, (40, 40, 160), 5)
    return cv2.imencode(".jpg", img)[1].tobytes()


def test_a_distribution_day_from_the_browser(browser, shots: Path, hub: ThreadHub,  # type: ignore[no-untyped-def]
                                             cli, hub_db_url: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    if not hub_db_url.startswith("sqlite"):
        pytest.skip("one backend is enough for the browser; the HTTP tests cover PostgreSQL")
    d = browser
    seed_registry(hub.store, households=10)
    add_accounts(hub.store)
    a, b = Site.open(tmp_path / "desk-a"), Site.open(tmp_path / "desk-b")
    try:
        for s in (a, b):
            sync_service.sync_now(site=s, hub_url=hub.url, enrol_code=enrol_code(hub.store))
        handover(a, "KPM-0001", photo=_photo())
        handover(b, "KPM-0001")
        second = handover(a, "KPM-0002")
        from bekasi_field.services import complaints
        complaints.record_complaint(
            site=a, data=complaints.ComplaintInput(code="KPM-0005", officer_id="PTG01",
                                                   category="wrong_data", note="Alamat pindah"),
            signer=complaints.device_signer(a))
        sync_service.sync_now(site=a)
        sync_service.sync_now(site=b)
        # Desk B voids desk A's hand-over (its supervisor approves): held at the hub.
        held = void_entry(site=b, entry_uuid=second.uuid, supervisor_id="SPV01",
                          reason="Salah pindai, kartu tetangga")
        sync_service.sync_now(site=b)
    finally:
        a.close(), b.close()

    _login(d, hub.url)
    want = cli("hub", "progress", "--db", hub_db_url, "--json").json["events"][0]["total"]
    for key, cell in (("allocated", "allocated"), ("collected", "collected"),
                      ("by_proxy", "proxy"), ("remaining", "remaining")):
        shown = d.find_element(By.ID, f"total-{cell}-{EVENT}").text
        assert int(shown.replace(".", "")) == want[key], key
    _shoot(d, shots, "overview")
    d.find_element(By.ID, "lang-switch").click()
    assert "Overview" in _wait(d, "header nav").text
    _shoot(d, shots, "overview-en")
    d.find_element(By.ID, "lang-switch").click()
    _wait(d, "#overview")

    d.get(f"{hub.url}/console/events/{EVENT}")
    assert "3275014101" not in d.page_source  # NIKs masked in the remaining list
    assert len(d.find_elements(By.CSS_SELECTOR, "#remaining tbody tr")) == 8
    _shoot(d, shots, "event")

    # Review the conflict by clicking.
    d.get(f"{hub.url}/console/conflicts")
    _shoot(d, shots, "conflicts")
    d.find_element(By.CSS_SELECTOR, "#conflicts a.button").click()
    _wait(d, "#decide")
    assert d.find_element(By.CSS_SELECTOR, ".entry img").get_attribute("naturalWidth") == "320"
    _shoot(d, shots, "conflict")
    Select(d.find_element(By.ID, "action")).select_by_value("keep")
    Select(d.find_element(By.ID, "entry_uuid")).select_by_index(0)
    d.find_element(By.ID, "reason").send_keys("Foto KTP cocok dengan penerima di meja A")
    d.find_element(By.ID, "decide-button").click()
    _wait(d, "#no-conflicts")
    assert cli("hub", "conflicts", "--db", hub_db_url, "--json").json["conflicts"] == []

    # The held void, beside the hand-over it would undo, accepted by clicking.
    d.get(f"{hub.url}/console/voids")
    card = d.find_element(By.CSS_SELECTOR, f'section.held[data-void="{held.uuid}"]')
    assert card.find_element(By.CSS_SELECTOR, f'.entry[data-uuid="{second.uuid}"]')
    assert "Salah pindai" in card.find_element(By.CSS_SELECTOR, ".void-reason").text
    assert "SPV01" in card.find_element(By.CSS_SELECTOR, ".approver").text
    _shoot(d, shots, "voids")
    reason = card.find_element(By.TAG_NAME, "textarea")
    _shoot(d, shots, "voids-form", at=reason)
    reason.send_keys("Dicek ulang: kartu tetangga")
    card.find_element(By.CSS_SELECTOR, "button.accept").click()
    _wait(d, "#no-held-voids")
    with hub.store.read() as conn:
        assert held_voids.get_held_void(conn, void_uuid=held.uuid)["status"] == "accepted"
    after = cli("hub", "progress", "--db", hub_db_url, "--json").json["events"][0]["total"]
    assert after["collected"] == want["collected"] - 1  # the voided hand-over counts no more
    d.get(f"{hub.url}/console/voids?show=all")
    _shoot(d, shots, "voids-decided")

    # An enrolment code; its QR read back from the screen enrols a real desk.
    d.get(f"{hub.url}/console/devices")
    Select(d.find_element(By.ID, "site")).select_by_visible_text("Kota Baru")
    d.find_element(By.ID, "make-code").click()
    qr = _wait(d, "#code-qr")
    png = np.frombuffer(qr.screenshot_as_png, np.uint8)
    import zxingcpp
    (found,) = zxingcpp.read_barcodes(cv2.imdecode(png, cv2.IMREAD_GRAYSCALE))
    hub_url, code = parse_enrol_qr(found.text)  # type: ignore[misc]
    assert code == d.find_element(By.ID, "code-text").text and hub_url == hub.url
    _shoot(d, shots, "devices-code")
    c = Site.open(tmp_path / "desk-c")
    try:
        result = sync_service.sync_now(site=c, hub_url=hub_url, enrol_code=code)
        assert result.pulled > 0
        desk_c = c.db.get_meta("device_id")
    finally:
        c.close()
    d.get(f"{hub.url}/console/devices")
    assert d.find_elements(By.CSS_SELECTOR, f'tr[data-device="{desk_c}"]')
    _shoot(d, shots, "devices")

    # A request without the CSRF token is refused; the same with it goes through.
    status = d.execute_async_script("""
        var done = arguments[arguments.length - 1];
        fetch('/console/devices/code', {method: 'POST', body: new URLSearchParams({site: 'Kota Baru'})})
          .then(function (r) { done(r.status); });""")
    assert status == 403
    status = d.execute_async_script("""
        var done = arguments[arguments.length - 1];
        var token = document.querySelector('input[name=csrf]').value;
        fetch('/console/devices/code', {method: 'POST',
              body: new URLSearchParams({site: 'Kota Baru', csrf: token})})
          .then(function (r) { done(r.status); });""")
    assert status == 200

    # Registry: a roster upload with its progress bar and rejected rows.
    d.get(f"{hub.url}/console/registry")
    d.find_element(By.ID, "roster-file").send_keys(str(ROSTER))
    d.find_element(By.ID, "upload").click()
    _wait(d, "#import-summary", timeout=30)
    assert int(d.find_element(By.ID, "rejected-count").text) > 0
    assert d.find_elements(By.CSS_SELECTOR, "#rejections tr")
    assert d.find_element(By.ID, "upload-progress").get_attribute("value") == "100"
    _shoot(d, shots, "registry")

    d.get(f"{hub.url}/console/officers")
    _shoot(d, shots, "officers")
    d.get(f"{hub.url}/console/complaints")
    assert len(d.find_elements(By.CSS_SELECTOR, "#complaints tr[data-complaint]")) == 1
    _shoot(d, shots, "complaints")
    d.get(f"{hub.url}/console/audit")
    actions = [e.text for e in d.find_elements(By.CSS_SELECTOR, "#audit td.action")]
    assert {"login", "conflict_decided", "held_void_decided", "enrol_code",
            "roster_imported"} <= set(actions)
    _shoot(d, shots, "audit")
    with hub.store.read() as conn:
        assert any(x["id"] == desk_c for x in crud.list_devices(conn))

    d.delete_all_cookies()
    d.get(f"{hub.url}/console/")
    assert d.current_url == f"{hub.url}/console/login"
    _shoot(d, shots, "login")
