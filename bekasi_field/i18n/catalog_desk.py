"""Texts of the desk's second version (state, checks, lock-out, reports menu)."""

ID: dict[str, str] = {
    "desk.menu.reports": "&Laporan",
    "desk.id.title": "Cocokkan KTP/KK",
    "desk.id.prompt": "Undangan harus dibawa beserta KTP/KK asli.\nCocokkan dengan penerima: "
    "{name}, NIK {nik}.\nTekan 1 bila KTP cocok, 2 bila KK cocok, Esc untuk batal.",
    "desk.id.ktp": "1 · KTP cocok",
    "desk.id.kk": "2 · KK cocok",
    "desk.id.cancel": "Esc · Batal",
    "desk.flow.stale": "Hasil pindai lebih dari {minutes} menit yang lalu, jadi diperiksa ulang. "
    "Lihat hasilnya, lalu tekan Enter lagi.",
}

EN: dict[str, str] = {
    "desk.menu.reports": "&Reports",
    "desk.id.title": "Match the KTP/KK",
    "desk.id.prompt": "The slip must come with the original KTP/KK.\nMatch it to the recipient: "
    "{name}, NIK {nik}.\nPress 1 if the KTP matches, 2 if the KK matches, Esc to cancel.",
    "desk.id.ktp": "1 · KTP matches",
    "desk.id.kk": "2 · KK matches",
    "desk.id.cancel": "Esc · Cancel",
    "desk.flow.stale": "The scan is more than {minutes} minutes old, so it was checked again. "
    "Look at the result, then press Enter again.",
}
