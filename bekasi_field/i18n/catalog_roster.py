"""Texts of the roster import, events and the demo site (part H1)."""

ID = {
    "event.unknown_kelurahan": "Kelurahan \"{name}\" tidak ada di Kota Bekasi. Mungkin: {close}.",
    "event.bad_date": "Tanggal {what} \"{value}\" tidak valid; tulis TTTT-BB-HH, mis. 2026-11-23.",
    "event.end_before_start": "Tanggal selesai {end} sebelum tanggal mulai {start}.",
    "event.bad_amount": "Nilai bantuan {amount} tidak valid.",
    "event.unknown_programme": "Program \"{name}\" tidak dikenal. Pilihan: {known}.",
    "event.exists": "Kegiatan {event_id} sudah ada.",
    "event.unknown": "Kegiatan {event_id} tidak ditemukan. Yang ada: {known}.",
    "event.created": "Kegiatan {event_id} dibuat: {entitlements} KPM mendapat alokasi.",
    "event.none": "(belum ada kegiatan)",
}

EN = {
    "event.unknown_kelurahan": "Kelurahan \"{name}\" is not in Kota Bekasi. Did you mean: {close}.",
    "event.bad_date": "The {what} date \"{value}\" is not valid; write YYYY-MM-DD, e.g. 2026-11-23.",
    "event.end_before_start": "The end date {end} is before the start date {start}.",
    "event.bad_amount": "The amount {amount} is not valid.",
    "event.unknown_programme": "Unknown programme \"{name}\". Choose from: {known}.",
    "event.exists": "Event {event_id} already exists.",
    "event.unknown": "Event {event_id} not found. Known events: {known}.",
    "event.created": "Event {event_id} created: {entitlements} households allocated.",
    "event.none": "(no events yet)",
}

ID.update({
    "demo.bad_size": "Jumlah keluarga demo harus minimal 1 (diminta {households}).",
    "demo.not_empty": "Registri ini sudah berisi keluarga; demo hanya dibuat di registri kosong.",
    "demo.real_data": "Folder {home} sudah berisi data yang bukan demo; pilih --home lain.",
    "demo.ready": "Situs demo siap di {home}\nKegiatan: {event_id} ({entitlements} KPM dari {households} keluarga)",
    "demo.reused": "Situs demo yang sudah ada dipakai lagi (--reset untuk membuat ulang).",
    "demo.officers": "Petugas demo (PIN hanya untuk demo):",
    "demo.open_hint": "Aplikasi desktop belum tersedia; buka nanti dengan: "
    "bekasi-field --home {home}",
})
EN.update({
    "demo.bad_size": "The demo needs at least 1 household ({households} requested).",
    "demo.not_empty": "This registry already holds households; the demo needs an empty one.",
    "demo.real_data": "{home} already holds data that is not a demo; choose another --home.",
    "demo.ready": "Demo site ready in {home}\nEvent: {event_id} ({entitlements} of {households} households allocated)",
    "demo.reused": "The existing demo site was reused (--reset builds it again).",
    "demo.officers": "Demo officers (PINs for the demo only):",
    "demo.open_hint": "The desktop app is not available yet; open it later with: "
    "bekasi-field --home {home}",
})
