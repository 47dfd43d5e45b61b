"""Complaints synced from a desk, followed up in the console (masked NIK, a supervisor's own
sites only, the status change audited)."""

from __future__ import annotations

from pathlib import Path

from helpers_console import add_accounts, csrf_of, login
from helpers_hub import ThreadHub, enrol_code, seed_registry

from bekasi_field.hub import complaints as hub_complaints
from bekasi_field.hub.console import audit
from bekasi_field.services import complaints, sync_service
from bekasi_field.services.site import Site


def test_complaints_are_followed_up_in_the_console(hub: ThreadHub, tmp_path: Path) -> None:
    seed_registry(hub.store)
    desk = Site.open(tmp_path / "desk")
    try:
        sync_service.sync_now(site=desk, hub_url=hub.url, enrol_code=enrol_code(hub.store))
        recorded = complaints.record_complaint(
            site=desk, data=complaints.ComplaintInput(code="KPM-0002", officer_id="PTG01",
                                                      category="wrong_data",
                                                      note="Nama salah eja"),
            signer=complaints.device_signer(desk))
        assert sync_service.sync_now(site=desk).complaints_acked == 1
    finally:
        desk.close()
    add_accounts(hub.store)
    admin = login(hub.url)
    page = admin.get("/complaints").text
    assert f'data-complaint="{recorded.number}"' in page and "Nama salah eja" in page
    assert "3275014101000002" not in page  # the NIK is masked
    token = csrf_of(admin, "/complaints")
    r = admin.post(f"/complaints/{recorded.number}/status",
                   data={"csrf": token, "status": "in_progress", "note": "Dicek ke RT"})
    assert r.status_code == 303
    assert admin.post(f"/complaints/{recorded.number}/status",
                      data={"status": "resolved"}).status_code == 403  # no CSRF token
    with hub.store.read() as conn:
        found = hub_complaints.get_complaint(conn, complaint_id=recorded.number)
        rows, _ = audit.recent(conn)
    assert found is not None and (found["status"], found["status_by"]) == (
        "in_progress", "admin.dinsos")
    assert rows[0]["action"] == "complaint_status"
    add_accounts(hub.store, supervisor_sites=("Bintara",))  # the supervisor moves elsewhere
    from helpers_console import SUPERVISOR, SUPERVISOR_PW
    other = login(hub.url, SUPERVISOR, SUPERVISOR_PW)
    assert recorded.number not in other.get("/complaints").text
    token = csrf_of(other, "/complaints")
    r = other.post(f"/complaints/{recorded.number}/status",
                   data={"csrf": token, "status": "rejected"})
    assert r.status_code == 403
