"""Texts of the hub's authority checks: device keys, held voids, entry validation, limits."""

from __future__ import annotations

ID: dict[str, str] = {
    "hub.device_key_exists": "Perangkat {device} sudah mendaftarkan kunci tanda tangan; "
                             "kunci itu tidak bisa diganti dari perangkat.",
}

EN: dict[str, str] = {
    "hub.device_key_exists": "Device {device} has already registered its signing key; it "
                             "cannot be replaced from the device.",
}
