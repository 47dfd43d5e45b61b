"""Texts of the hub: its API answers and its commands."""

ID = {
    "hub.enrol_code_invalid": "Kode pendaftaran tidak dikenal atau sudah dipakai.",
    "hub.enrol_code_expired": "Kode pendaftaran sudah kedaluwarsa. Minta kode baru ke admin hub.",
    "hub.device_exists": "Perangkat {device} sudah terdaftar di hub.",
    "hub.auth_missing": "Permintaan tanpa kredensial perangkat.",
    "hub.auth_wrong": "Kredensial perangkat salah.",
    "hub.device_revoked": "Perangkat {device} sudah dicabut di hub.",
    "hub.not_your_journal": "Perangkat {device} hanya boleh mengirim jurnalnya sendiri.",
    "hub.evidence_bad_hash": "Berkas bukti tidak cocok dengan hash-nya.",
    "hub.evidence_too_big": "Berkas bukti terlalu besar (paling besar 20 MB).",
    "hub.body_too_big": "Isi permintaan terlalu besar (paling besar 64 MB).",
    "hub.nul_character": "Permintaan memuat karakter NUL (\\u0000); teks tidak boleh memuatnya.",
    "hub.evidence_unreferenced": "Berkas bukti {sha}… tidak dirujuk oleh catatan mana pun "
    "dari perangkat ini di hub; kirim catatannya lebih dulu.",
    "hub.evidence_quota": "Kuota berkas bukti perangkat ini di hub penuh ({used} dari "
    "{quota} MB). Hubungi admin hub.",
    "hub.serving": "Hub berjalan di {url} (basis data: {db}). "
    "Tekan Ctrl+C untuk berhenti.",
    "hub.enrol_code": "Kode pendaftaran perangkat: {code} (berlaku {hours} jam, sekali pakai).",
    "hub.key_fingerprint": "Sidik sertifikat hub: {fingerprint} (harus sama dengan yang "
    "tampil di perangkat saat mendaftar).",
    "hub.tls_key_without_cert": "--key perlu --cert (berkas sertifikat).",
    "hub.tls_file_missing": "Berkas TLS {path} tidak ada.",
    "hub.tls_file_bad": "Berkas {path} bukan sertifikat PEM yang bisa dibaca.",
    "hub.no_conflicts": "Tidak ada pengambilan ganda yang menunggu ditinjau.",
    "hub.no_quarantine": "Tidak ada kiriman jurnal yang dikarantina.",
    "hub.quarantine_line": "#{id} perangkat {device}: {problem} pada no. {seq} ({count} entri, "
    "{received})",
    "hub.conflict_line": "#{id} kegiatan {event}, keluarga {household}: {count} penyerahan "
    "({devices})",
    "hub.unknown_conflict": "Tidak ada pengambilan ganda #{id}.",
    "hub.revoked": "Perangkat {device} dicabut.",
    "hub.device_line": "{device}  lokasi {site}  jurnal sampai no. {seq}  terakhir {seen}",
    "hub.device_revoked_mark": "(dicabut)",
    "hub.no_devices": "Belum ada perangkat terdaftar.",
    "hub.unknown_device": "Perangkat {device} tidak dikenal di hub.",
    "hub.db_error": "Basis data hub tidak dapat dibuka ({detail}).",
    "hub.bundle_imported": "Bundel dari perangkat {device}: {stored} entri disimpan, "
    "{duplicates} sudah ada, {conflicts} pengambilan ganda baru.",
    "hub.bundle_quarantined": "{count} entri dari bundel dikarantina ({problem}); "
    "tidak digabung ke jurnal hub. Lihat `hub quarantine` dan periksa perangkatnya.",
    "hub.bundle_exported": "Bundel untuk perangkat {device} ditulis ke {path} (versi {version}).",
    "hub.demo_done": "Hub diisi data demo: kegiatan {event}.",
    "hub.event_done": "Kegiatan {event} dibuat dengan {entitlements} penerima.",
    "hub.slips_done": "{slips} undangan dicetak ke {path}.",
}

EN = {
    "hub.enrol_code_invalid": "Unknown or already used enrolment code.",
    "hub.enrol_code_expired": "The enrolment code has expired. Ask the hub admin for a new one.",
    "hub.device_exists": "Device {device} is already enrolled at the hub.",
    "hub.auth_missing": "Request without device credentials.",
    "hub.auth_wrong": "Wrong device credentials.",
    "hub.device_revoked": "Device {device} has been revoked at the hub.",
    "hub.not_your_journal": "Device {device} may only send its own journal.",
    "hub.evidence_bad_hash": "The evidence file does not match its hash.",
    "hub.evidence_too_big": "The evidence file is too large (at most 20 MB).",
    "hub.body_too_big": "The request body is too large (at most 64 MB).",
    "hub.nul_character": "The request holds a NUL character (\\u0000); text may not hold one.",
    "hub.evidence_unreferenced": "Evidence file {sha}… is named by no entry of this device "
    "at the hub; push the entry first.",
    "hub.evidence_quota": "This device's evidence quota at the hub is full ({used} of "
    "{quota} MB). Contact the hub admin.",
    "hub.serving": "Hub running at {url} (database: {db}). Press Ctrl+C to stop.",
    "hub.enrol_code": "Device enrolment code: {code} (valid {hours} hours, single use).",
    "hub.key_fingerprint": "Hub certificate fingerprint: {fingerprint} (must match what the "
    "desk shows when it enrols).",
    "hub.tls_key_without_cert": "--key needs --cert (the certificate file).",
    "hub.tls_file_missing": "TLS file {path} does not exist.",
    "hub.tls_file_bad": "{path} is not a readable PEM certificate.",
    "hub.no_conflicts": "No double collections awaiting review.",
    "hub.no_quarantine": "No quarantined journal batches.",
    "hub.quarantine_line": "#{id} device {device}: {problem} at no. {seq} ({count} entries, "
    "{received})",
    "hub.conflict_line": "#{id} event {event}, household {household}: {count} hand-overs "
    "({devices})",
    "hub.unknown_conflict": "There is no double collection #{id}.",
    "hub.revoked": "Device {device} revoked.",
    "hub.device_line": "{device}  site {site}  journal up to no. {seq}  last seen {seen}",
    "hub.device_revoked_mark": "(revoked)",
    "hub.no_devices": "No devices enrolled yet.",
    "hub.unknown_device": "Device {device} is not known at the hub.",
    "hub.db_error": "The hub database cannot be opened ({detail}).",
    "hub.bundle_imported": "Bundle from device {device}: {stored} entries stored, "
    "{duplicates} already there, {conflicts} new double collections.",
    "hub.bundle_quarantined": "{count} entries of the bundle were quarantined ({problem}); "
    "they were not merged into the hub journal. See `hub quarantine` and check the device.",
    "hub.bundle_exported": "Bundle for device {device} written to {path} (version {version}).",
    "hub.demo_done": "Hub seeded with demo data: event {event}.",
    "hub.event_done": "Event {event} created with {entitlements} recipients.",
    "hub.slips_done": "{slips} invitation slips printed to {path}.",
}
