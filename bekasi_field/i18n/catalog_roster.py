"""Texts of the roster import, events and the demo site."""

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
    "demo.ready": "Situs demo siap di {home}\nKegiatan: {event_id}, {entitlements} KPM mendapat alokasi (registri: {households} keluarga)",
    "demo.reused": "Situs demo yang sudah ada dipakai lagi (--reset untuk membuat ulang).",
    "demo.officers": "Petugas demo (PIN hanya untuk demo):",
    "demo.open_hint": "Aplikasi desktop belum tersedia; buka nanti dengan: "
    "bekasi-field --home {home}",
})
EN.update({
    "demo.bad_size": "The demo needs at least 1 household ({households} requested).",
    "demo.not_empty": "This registry already holds households; the demo needs an empty one.",
    "demo.real_data": "{home} already holds data that is not a demo; choose another --home.",
    "demo.ready": "Demo site ready in {home}\nEvent: {event_id}, {entitlements} households allocated (registry: {households} households)",
    "demo.reused": "The existing demo site was reused (--reset builds it again).",
    "demo.officers": "Demo officers (PINs for the demo only):",
    "demo.open_hint": "The desktop app is not available yet; open it later with: "
    "bekasi-field --home {home}",
})

ID.update({
    "roster.no_file": "Berkas {path} tidak ditemukan.",
    "roster.unsupported": "Format {path} belum didukung; simpan sebagai CSV atau XLSX.",
    "roster.empty_file": "Berkas {path} kosong.",
    "roster.bad_xlsx": "Berkas Excel {path} tidak bisa dibaca ({detail}).",
    "roster.bad_csv": "Berkas CSV rusak di baris {row}: {detail}",
    "roster.duplicate_columns": "Kolom ganda di judul: {columns}.",
    "roster.missing_columns": "Kolom wajib tidak ada: {missing} (judul di baris {row}: {found}).",
    "roster.required": "wajib diisi",
    "roster.too_long": "terlalu panjang",
    "roster.excel_number": "disimpan sebagai angka di Excel; digit terakhir bisa hilang "
    "(format kolom sebagai Teks lalu ekspor ulang)",
    "roster.excel_mangled": "angka dirusak Excel (notasi ilmiah seperti 3.27502E+15); "
    "digit tidak bisa dipulihkan",
    "roster.bad_sex": "jenis kelamin harus L atau P",
    "roster.bad_flag": "isi Y atau kosong",
    "roster.bad_status": "status tidak dikenal (aktif, ditangguhkan, graduasi, meninggal)",
    "roster.bad_programme": "program \"{token}\" tidak dikenal (pilihan: {known})",
    "roster.bad_date": "tanggal tidak dikenali; tulis HH-BB-TTTT, mis. 12-03-1985",
    "roster.bad_kelurahan": "kelurahan tidak ada di Kota Bekasi (mungkin: {close})",
    "roster.bad_rt_rw": "RT/RW harus angka 1-3 digit",
    "roster.bad_desil": "desil harus angka 1-10",
    "roster.duplicate_nik": "NIK sama dengan baris {row}",
    "roster.kk_taken": "No. KK sudah dipakai keluarga {household} (baris {row})",
    "roster.kks_taken": "Nomor kartu KKS sudah dipakai keluarga {household} (baris {row})",
    "roster.nik_elsewhere": "NIK sudah terdaftar di keluarga {household} dalam snapshot",
    "roster.writer_failed": "Impor dibatalkan, snapshot lama tetap utuh: gagal menulis ({detail}).",
    "roster.writer_died": "Impor dibatalkan, snapshot lama tetap utuh: proses penulis berhenti "
    "({code}).",
    "roster.warn_sex": "berbeda dengan NIK ({nik_sex}); nilai kolom dipakai",
    "roster.warn_birth": "berbeda dengan NIK ({nik_birth}); nilai kolom dipakai",
    "roster.warn_recipient": "keluarga ini sudah punya pengurus di baris sebelumnya; "
    "baris ini bukan pengurus",
    "roster.warn_household": "berbeda dengan anggota keluarga yang sama di baris {row}; "
    "nilai baris {row} dipakai",
    "roster.warn_kecamatan": "Kelurahan {kelurahan} ada di Kecamatan {kecamatan}; "
    "kecamatan itu dipakai",
    "roster.warning_prefix": "PERINGATAN (baris tetap diimpor): ",
    "roster.note_prefix": "PERINGATAN: ",
    "roster.repeated_header": "baris judul berulang (gabungan beberapa ekspor); dilewati",
    "roster.report_failed": "Laporan {path} tidak bisa ditulis: {detail}",
    "roster.summary": "Dibaca {read} baris anggota: {imported} baru, {updated} diperbarui, "
    "{unchanged} tetap, {rejected} ditolak, {warnings} peringatan.",
    "roster.see_report": "Rincian baris yang ditolak: {path}",
    "roster.first_rejections": "Baris yang ditolak (paling banyak 10 ditampilkan; "
    "pakai --report untuk semuanya):",
    "roster.progress": "Impor roster",
})
EN.update({
    "roster.no_file": "File {path} not found.",
    "roster.unsupported": "{path} is not a supported format; save it as CSV or XLSX.",
    "roster.empty_file": "The file {path} is empty.",
    "roster.bad_xlsx": "The Excel file {path} cannot be read ({detail}).",
    "roster.bad_csv": "The CSV file is damaged at row {row}: {detail}",
    "roster.duplicate_columns": "Columns given twice in the header: {columns}.",
    "roster.missing_columns": "Required columns missing: {missing} (header at row {row}: {found}).",
    "roster.required": "required",
    "roster.too_long": "too long",
    "roster.excel_number": "stored as a number in Excel; the last digit may be lost "
    "(format the column as Text and export again)",
    "roster.excel_mangled": "number mangled by Excel (scientific notation such as 3.27502E+15); "
    "the digits cannot be recovered",
    "roster.bad_sex": "sex must be L or P",
    "roster.bad_flag": "write Y or leave empty",
    "roster.bad_status": "unknown status (aktif, ditangguhkan, graduasi, meninggal)",
    "roster.bad_programme": "unknown programme \"{token}\" (known: {known})",
    "roster.bad_date": "date not recognised; write DD-MM-YYYY, e.g. 12-03-1985",
    "roster.bad_kelurahan": "kelurahan not in Kota Bekasi (did you mean: {close})",
    "roster.bad_rt_rw": "RT/RW must be a number of 1-3 digits",
    "roster.bad_desil": "desil must be a number 1-10",
    "roster.duplicate_nik": "same NIK as row {row}",
    "roster.kk_taken": "No. KK already used by household {household} (row {row})",
    "roster.kks_taken": "KKS card number already used by household {household} (row {row})",
    "roster.nik_elsewhere": "NIK already registered in household {household} in the snapshot",
    "roster.writer_failed": "Import cancelled, the previous snapshot is intact: writing failed "
    "({detail}).",
    "roster.writer_died": "Import cancelled, the previous snapshot is intact: the writer process "
    "stopped ({code}).",
    "roster.warn_sex": "differs from the NIK ({nik_sex}); the column's value is kept",
    "roster.warn_birth": "differs from the NIK ({nik_birth}); the column's value is kept",
    "roster.warn_recipient": "this household already has a pengurus in an earlier row; "
    "this row is not the pengurus",
    "roster.warn_household": "differs from another member of the same household in row {row}; "
    "the value of row {row} is kept",
    "roster.warn_kecamatan": "Kelurahan {kelurahan} is in Kecamatan {kecamatan}; "
    "that kecamatan is kept",
    "roster.warning_prefix": "WARNING (row imported): ",
    "roster.note_prefix": "WARNING: ",
    "roster.repeated_header": "header row repeated (several exports joined); skipped",
    "roster.report_failed": "The report {path} cannot be written: {detail}",
    "roster.summary": "Read {read} member rows: {imported} new, {updated} updated, "
    "{unchanged} unchanged, {rejected} rejected, {warnings} warnings.",
    "roster.see_report": "Details of rejected rows: {path}",
    "roster.first_rejections": "Rejected rows (at most 10 shown; use --report for all):",
    "roster.progress": "Roster import",
})
