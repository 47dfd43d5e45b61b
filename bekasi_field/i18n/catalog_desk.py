"""Texts of the desk's second version (state, checks, lock-out, reports menu)."""

ID: dict[str, str] = {
    "desk.menu.reports": "&Laporan",
    "desk.flow.stale": "Hasil pindai lebih dari {minutes} menit yang lalu, jadi diperiksa ulang. "
    "Lihat hasilnya, lalu tekan Enter lagi.",
}

EN: dict[str, str] = {
    "desk.menu.reports": "&Reports",
    "desk.flow.stale": "The scan is more than {minutes} minutes old, so it was checked again. "
    "Look at the result, then press Enter again.",
}
