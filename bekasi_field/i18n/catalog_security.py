"""Texts of the hub's authority checks: device keys, held voids, entry validation, limits."""

from __future__ import annotations

ID: dict[str, str] = {
    "hub.device_key_exists": (
        "Perangkat {device} sudah mendaftarkan kunci tanda tangan; "
        "kunci itu tidak bisa diganti dari perangkat."
    ),
    "hub.held_void_unknown": "Pembatalan {uuid} tidak ada dalam daftar tunda hub.",
    "hub.held_void_decided": "Pembatalan {uuid} sudah diputuskan ({state}).",
    "hub.held_void_same_supervisor": (
        "Supervisor {officer} yang menyetujui pembatalan ini tidak "
        "bisa juga menerimanya; perlu supervisor lain."
    ),
    "hub.not_site_supervisor": "{officer} bukan supervisor aktif di lokasi ini.",
    "hub.supervisor_locked": "PIN {officer} terkunci sementara karena terlalu sering salah.",
    "hub.supervisor_wrong_pin": "PIN {officer} salah.",
    "hub.held_void_line": (
        "{uuid}  membatalkan {voided} (perangkat {device}, KPM "
        "{household}) — {reason}, {status}"
    ),
    "hub.no_held_voids": "Tidak ada pembatalan yang menunggu pemeriksaan.",
    "hub.held_void_done": "Pembatalan {uuid}: {status}.",
    "security.pin_needed": "PIN petugas {officer} diperlukan ({flag}); tanpa terminal, "
    "berikan dengan {flag} PIN.",
    "security.pin_prompt": "PIN {officer}: ",
    "hub.enrol_wait": "Terlalu banyak kode pendaftaran yang salah dari alamat ini; coba lagi "
    "dalam {seconds} detik.",
}

EN: dict[str, str] = {
    "hub.device_key_exists": (
        "Device {device} has already registered its signing key; it "
        "cannot be replaced from the device."
    ),
    "hub.held_void_unknown": "Void {uuid} is not on the hub's held list.",
    "hub.held_void_decided": "Void {uuid} has been decided already ({state}).",
    "hub.held_void_same_supervisor": (
        "Supervisor {officer} approved this void and cannot also "
        "accept it; another supervisor must."
    ),
    "hub.not_site_supervisor": "{officer} is not an active supervisor of this site.",
    "hub.supervisor_locked": "{officer}'s PIN is locked for a while after too many wrong tries.",
    "hub.supervisor_wrong_pin": "Wrong PIN for {officer}.",
    "hub.held_void_line": (
        "{uuid}  voids {voided} (device {device}, household "
        "{household}) — {reason}, {status}"
    ),
    "hub.no_held_voids": "No voids are waiting for review.",
    "hub.held_void_done": "Void {uuid}: {status}.",
    "security.pin_needed": "Officer {officer}'s PIN is required ({flag}); with no terminal, "
    "pass it with {flag} PIN.",
    "security.pin_prompt": "PIN for {officer}: ",
    "hub.enrol_wait": "Too many wrong enrolment codes from this address; try again in "
    "{seconds} seconds.",
}
