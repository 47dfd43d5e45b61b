"""Texts of the command line, the store and the identifiers."""

ID = {
    "db.not_ours": "Berkas {path} bukan basis data bekasi-field; berkas tidak diubah.",
    "db.corrupt": "Basis data {path} rusak (pemeriksaan integritas gagal: {detail}); "
    "berkas tidak diubah. Pulihkan dari cadangan atau sinkronkan ulang dari hub.",
    "db.too_new": "Basis data {path} dibuat oleh versi bekasi-field yang lebih baru "
    "(skema {found}, aplikasi ini {supported}).",
    "db.missing": "Belum ada data di {path}. Jalankan `bekasi-field demo` atau impor roster.",
    "cli.unexpected": "Terjadi kesalahan tak terduga: {error}. Rincian ada di log: {log}",
    "id.nik_length": "NIK harus 16 angka",
    "id.kk_length": "No. KK harus 16 angka",
    "id.kks_length": "Nomor kartu KKS harus 16 angka",
    "id.region": "kode wilayah tidak dikenal",
    "id.birth_date": "tanggal lahir dalam NIK tidak valid",
    "id.issue_date": "tanggal terbit dalam No. KK tidak valid",
    "id.serial": "nomor urut 0000 tidak valid",
    "id.luhn": "angka periksa (Luhn) salah",
    "pin.wrong": "PIN salah. Sisa percobaan: {left}.",
    "pin.locked": "Akun {officer} terkunci sampai {until} karena terlalu banyak PIN salah.",
    "pin.unknown_officer": "Petugas {officer} tidak dikenal atau tidak aktif.",
    "pin.too_short": "PIN harus 4–8 angka.",
    "pin.too_short_supervisor": "PIN supervisor harus 6–8 angka.",
}

EN = {
    "db.not_ours": "The file {path} is not a bekasi-field database; it was not changed.",
    "db.corrupt": "The database {path} is damaged (integrity check failed: {detail}); "
    "the file was not changed. Restore a backup or sync again from the hub.",
    "db.too_new": "The database {path} was written by a newer bekasi-field "
    "(schema {found}, this app {supported}).",
    "db.missing": "No data in {path} yet. Run `bekasi-field demo` or import a roster.",
    "cli.unexpected": "An unexpected error occurred: {error}. Details are in the log: {log}",
    "id.nik_length": "a NIK has 16 digits",
    "id.kk_length": "a No. KK has 16 digits",
    "id.kks_length": "a KKS card number has 16 digits",
    "id.region": "unknown region code",
    "id.birth_date": "the birth date in the NIK is not valid",
    "id.issue_date": "the issue date in the No. KK is not valid",
    "id.serial": "serial number 0000 is not valid",
    "id.luhn": "wrong check digit (Luhn)",
    "pin.wrong": "Wrong PIN. Attempts left: {left}.",
    "pin.locked": "Account {officer} is locked until {until} after too many wrong PINs.",
    "pin.unknown_officer": "Officer {officer} is unknown or not active.",
    "pin.too_short": "A PIN has 4 to 8 digits.",
    "pin.too_short_supervisor": "A supervisor's PIN has 6 to 8 digits.",
}
