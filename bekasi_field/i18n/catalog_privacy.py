"""Texts of data protection: the data key, the passphrase, the upgrade, evidence, purge."""

ID = {
    "datakey.needs_passphrase": "Kunci data situs ini tidak ada di penyimpanan kunci akun ini. "
    "Masukkan frasa sandi pemulihan situs (atau setel BEKASI_FIELD_PASSPHRASE).",
    "datakey.first_run_needs_passphrase": "Komputer ini tidak punya penyimpanan kunci. "
    "Supervisor harus menetapkan frasa sandi pemulihan situs (atau setel "
    "BEKASI_FIELD_PASSPHRASE) sebelum data dibuat.",
    "datakey.unrecoverable": "Kunci data situs ini tidak ada di penyimpanan kunci akun ini dan "
    "belum ada frasa sandi pemulihan. Data tidak dapat dibuka di sini; buka di komputer dan "
    "akun asalnya.",
    "datakey.wrong_passphrase": "Frasa sandi pemulihan salah. Data tidak dibuka dan tidak "
    "diubah.",
    "datakey.bad_file": "Berkas kunci {path} rusak atau bukan milik data ini.",
    "datakey.missing": "Berkas kunci {path} tidak ada; data terenkripsi tidak dapat dibuka.",
    "datakey.passphrase_short": "Frasa sandi pemulihan minimal {n} karakter.",
    "datakey.prompt": "Frasa sandi pemulihan situs: ",
    "datakey.prompt_new": "Frasa sandi pemulihan baru (minimal {n} karakter): ",
    "datakey.prompt_again": "Ulangi frasa sandi: ",
    "datakey.mismatch": "Kedua frasa sandi tidak sama.",
    "datakey.passphrase_set": "Frasa sandi pemulihan situs disimpan. Catat dan simpan di "
    "tempat aman: tanpa frasa ini data tidak dapat dibuka di komputer lain.",
    "db.wrong_key": "Basis data {path} tidak dapat dibuka dengan kunci situs ini (kunci salah "
    "atau berkas bukan milik situs ini); berkas tidak diubah.",
    "db.upgrade_failed": "Enkripsi basis data {path} gagal diperiksa ({detail}); berkas lama "
    "tetap dipakai dan tidak diubah.",
    "evidence.unreadable": "Berkas bukti {sha} tidak dapat dibuka dengan kunci situs ini.",
    "secret.unreadable": "Rahasia {name} tidak dapat dibuka dengan kunci ini.",
    "hub.signing_key_bad": "Berkas kunci tanda tangan hub {path} rusak atau tidak dapat "
    "dibuka dengan kunci data hub ini.",
    "hub.signing_key_foreign": "Berkas kunci tanda tangan {path} bukan kunci hub ini; hub "
    "tidak dijalankan.",
    "hub.signing_key_missing": "Kunci tanda tangan hub tidak ditemukan di {path}. Pulihkan "
    "berkas itu dari cadangan (atau setel BEKASI_HUB_KEY_DIR); tanpa kunci itu perangkat "
    "tidak akan menerima snapshot hub ini.",
}

EN = {
    "datakey.needs_passphrase": "This site's data key is not in this account's key store. "
    "Enter the site recovery passphrase (or set BEKASI_FIELD_PASSPHRASE).",
    "datakey.first_run_needs_passphrase": "This computer has no key store. A supervisor must "
    "set the site recovery passphrase (or set BEKASI_FIELD_PASSPHRASE) before any data is "
    "made.",
    "datakey.unrecoverable": "This site's data key is not in this account's key store and no "
    "recovery passphrase was set. The data cannot be opened here; open it on its own "
    "computer and account.",
    "datakey.wrong_passphrase": "Wrong recovery passphrase. Nothing was opened or changed.",
    "datakey.bad_file": "The key file {path} is damaged or does not belong to this data.",
    "datakey.missing": "The key file {path} is missing; the encrypted data cannot be opened.",
    "datakey.passphrase_short": "The recovery passphrase needs at least {n} characters.",
    "datakey.prompt": "Site recovery passphrase: ",
    "datakey.prompt_new": "New recovery passphrase (at least {n} characters): ",
    "datakey.prompt_again": "Repeat the passphrase: ",
    "datakey.mismatch": "The two passphrases differ.",
    "datakey.passphrase_set": "Site recovery passphrase saved. Write it down and keep it "
    "safe: without it the data cannot be opened on another computer.",
    "db.wrong_key": "The database {path} does not open with this site's key (wrong key, or "
    "the file belongs to another site); it was not changed.",
    "db.upgrade_failed": "Encrypting the database {path} failed its check ({detail}); the "
    "old file stays in use, unchanged.",
    "evidence.unreadable": "Evidence file {sha} does not open with this site's key.",
    "secret.unreadable": "Secret {name} does not open with this key.",
    "hub.signing_key_bad": "The hub signing key file {path} is damaged or does not open with "
    "this hub's data key.",
    "hub.signing_key_foreign": "The signing key file {path} is not this hub's key; the hub "
    "was not started.",
    "hub.signing_key_missing": "The hub signing key was not found at {path}. Restore that "
    "file from a backup (or set BEKASI_HUB_KEY_DIR); without it desks will not accept this "
    "hub's snapshots.",
}

ID.update({
    "purge.plan": "Akan dihapus (kegiatan selesai sebelum {date}, sudah tersinkron): "
    "kegiatan {events}; data pribadi {households} keluarga ({members} anggota: NIK, nama, "
    "tanggal lahir, No. KK, alamat); data pribadi di {entries} entri jurnal; {evidence} berkas "
    "bukti (foto, tanda tangan).",
    "purge.kept_unsynced": "Tidak dihapus, belum tersinkron ke hub: {events}.",
    "purge.nothing": "Tidak ada yang perlu dihapus.",
    "purge.confirm": "Ketik HAPUS untuk menghapus data di atas: ",
    "purge.cancelled": "Dibatalkan; tidak ada yang dihapus.",
    "purge.done": "Selesai: data pribadi {households} keluarga dan {evidence} berkas bukti "
    "dihapus; jurnal tetap dapat diverifikasi.",
    "purge.plan_changed": "Data berubah sejak rencana ditampilkan; tidak ada yang dihapus. "
    "Jalankan lagi.",
    "purge.entry_edited": "Entri jurnal {uuid} tidak utuh; tidak ada yang dihapus. Jalankan "
    "`journal verify`.",
    "purge.needs_supervisor": "Penghapusan data hanya oleh supervisor (--supervisor ID dan PIN).",
    "purge.bad_date": "Tanggal {value} tidak dikenal; gunakan TTTT-BB-HH.",
    "datakey.set_at_first_run": "Tetapkan frasa sandi pemulihan situs. Tanpa frasa ini data "
    "di laptop ini tidak dapat dibuka di komputer atau akun lain (misalnya setelah laptop "
    "diganti). Catat dan simpan di tempat aman.",
    "datakey.supervisor_needs_passphrase": "Situs ini belum punya frasa sandi pemulihan: "
    "supervisor pertama harus menetapkannya. Jalankan di terminal, atau beri "
    "BEKASI_FIELD_NEW_PASSPHRASE (minimal {n} karakter). Supervisor belum disimpan.",
    "datakey.must_set_now": "Frasa sandi pemulihan harus ditetapkan sekarang, sebelum meja "
    "dipakai: tanpa frasa ini data tidak dapat dipulihkan bila laptop diganti.",
    "datakey.set_later": "Frasa sandi pemulihan belum ditetapkan; tetapkan nanti dengan "
    "`bekasi-field data passphrase`.",
})
EN.update({
    "purge.plan": "To be removed (events that ended before {date}, synced): events "
    "{events}; personal data of {households} households ({members} members: NIK, name, birth "
    "date, No. KK, address); personal fields of {entries} journal entries; {evidence} evidence "
    "files (photos, signatures).",
    "purge.kept_unsynced": "Not removed, not yet synced to the hub: {events}.",
    "purge.nothing": "Nothing to remove.",
    "purge.confirm": "Type HAPUS to remove the data above: ",
    "purge.cancelled": "Cancelled; nothing was removed.",
    "purge.done": "Done: personal data of {households} households and {evidence} evidence "
    "files removed; the journal still verifies.",
    "purge.plan_changed": "The data changed since the plan was shown; nothing was removed. "
    "Run it again.",
    "purge.entry_edited": "Journal entry {uuid} is not intact; nothing was removed. Run "
    "`journal verify`.",
    "purge.needs_supervisor": "Only a supervisor removes data (--supervisor ID and PIN).",
    "purge.bad_date": "Unknown date {value}; use YYYY-MM-DD.",
    "datakey.set_at_first_run": "Set the site recovery passphrase. Without it the data on "
    "this laptop cannot be opened on another computer or account (after a laptop is "
    "replaced, say). Write it down and keep it safe.",
    "datakey.supervisor_needs_passphrase": "This site has no recovery passphrase yet: the "
    "first supervisor must set it. Run this on a terminal, or give BEKASI_FIELD_NEW_PASSPHRASE "
    "(at least {n} characters). The supervisor was not saved.",
    "datakey.must_set_now": "The recovery passphrase must be set now, before the desk is "
    "used: without it the data cannot be recovered when the laptop is replaced.",
    "datakey.set_later": "No recovery passphrase yet; set it later with "
    "`bekasi-field data passphrase`.",
})
