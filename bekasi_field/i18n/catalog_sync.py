"""Texts of the device's sync and bundles."""

ID = {
    "sync.hub_unreachable": "Hub {url} tidak menjawab ({detail}). Tidak ada data yang hilang; "
    "coba lagi nanti atau gunakan bundel USB.",
    "sync.hub_refused": "Hub menolak permintaan (HTTP {status}).",
    "sync.snapshot_bad_signature": "Tanda tangan snapshot dari hub tidak sah; "
    "snapshot tidak dipakai.",
    "sync.snapshot_malformed": "Snapshot dari hub tidak dapat dibaca; snapshot tidak dipakai.",
    "sync.no_hub": "Alamat hub belum diketahui. "
    "Jalankan `bekasi-field sync --hub URL --enrol KODE`.",
    "sync.not_enrolled": "Perangkat ini belum terdaftar di hub {url}. "
    "Minta kode ke admin hub lalu jalankan `bekasi-field sync --hub {url} --enrol KODE`.",
    "sync.plain_http_refused": "Alamat hub {url} tidak aman: hub di komputer lain harus "
    "dihubungi lewat https:// (http:// hanya untuk hub di komputer ini).",
    "sync.hub_cert_mismatch": "Sertifikat hub di {url} BUKAN yang dicatat saat pendaftaran "
    "(terlihat {seen}, seharusnya {pinned}). Mungkin ada komputer lain yang menyamar sebagai "
    "hub: tidak ada data yang dikirim. Hubungi supervisor.",
    "sync.hub_cert_unverified": "Sertifikat hub di {url} tidak dapat diperiksa. Daftarkan "
    "meja ini lagi dengan kode baru dan cocokkan sidik sertifikat hub.",
    "sync.hub_cert_not_expected": "Sidik sertifikat hub di {url} adalah {seen}, bukan {expected} "
    "seperti di layar hub. Pendaftaran dibatalkan: pastikan alamat hub benar.",
    "sync.hub_not_pinned": "Meja ini belum mencatat sertifikat hub {url}. Daftarkan lagi dengan "
    "kode baru (--enrol) agar sertifikatnya dicatat.",
    "sync.other_hub": "Hub {url} bukan hub tempat perangkat ini terdaftar.",
    "sync.enrolled": "Terdaftar di hub. Sidik hub: {fingerprint} — cocokkan dengan "
    "layar hub.",
    "sync.done": "Sinkron selesai: {pushed} dikirim (sampai no. {acked_seq}), {pulled} diterima, "
    "{conflicts} pengambilan ganda menunggu tinjauan.",
    "sync.refused": "Hub menolak {count} entri jurnal ({problem}); entri itu tetap aman di "
    "perangkat ini. Hubungi admin hub.",
    "sync.journal_broken": "Jurnal meja ini tidak lolos pemeriksaan (entri no. {seq} "
    "perangkat {device}, {uuid}: {problem}); sinkron ditolak, tidak ada yang dikirim. "
    "Hubungi supervisor (`bekasi-field journal verify`).",
    "sync.bundle_bad": "Bundel {path} rusak, terpotong atau diubah; tidak ada yang diterapkan.",
    "sync.bundle_wrong_kind": "Bundel {path} bukan untuk tujuan ini ({kind}).",
    "sync.bundle_wrong_device": "Bundel {path} dibuat untuk perangkat lain ({device}).",
    "sync.bundle_unknown_device": "Bundel {path} berasal dari perangkat yang tidak terdaftar "
    "({device}).",
    "sync.bundle_exported": "Bundel ditulis ke {path}: {entries} entri jurnal, {evidence} "
    "berkas bukti.",
    "sync.bundle_imported": "Bundel diterapkan: snapshot versi {version}, {pulled} baris "
    "diterima.",
    "sync.bundle_missing": "Berkas {path} tidak ditemukan.",
    "sync.bundle_needs_enrolment": "Perangkat ini belum terdaftar di hub. Bundel disegel dengan "
    "kredensial dan kunci hub yang diterima saat pendaftaran: daftarkan sekali dengan "
    "`bekasi-field sync --hub URL --enrol KODE` (misalnya lewat hotspot di kantor).",
}

EN = {
    "sync.hub_unreachable": "Hub {url} is not answering ({detail}). Nothing was lost; "
    "try again later or use a USB bundle.",
    "sync.hub_refused": "The hub refused the request (HTTP {status}).",
    "sync.snapshot_bad_signature": "The hub's snapshot signature is not valid; snapshot not used.",
    "sync.snapshot_malformed": "The hub's snapshot cannot be read; snapshot not used.",
    "sync.no_hub": "No hub address yet. Run `bekasi-field sync --hub URL --enrol CODE`.",
    "sync.not_enrolled": "This device is not enrolled at hub {url}. "
    "Ask the hub admin for a code, then run `bekasi-field sync --hub {url} --enrol CODE`.",
    "sync.plain_http_refused": "Hub address {url} is not safe: a hub on another computer "
    "must be reached over https:// (http:// only for a hub on this computer).",
    "sync.hub_cert_mismatch": "The hub at {url} shows a certificate OTHER than the one recorded "
    "at enrolment (seen {seen}, expected {pinned}). Another computer may be posing as the hub: "
    "nothing was sent. Contact the supervisor.",
    "sync.hub_cert_unverified": "The certificate of the hub at {url} cannot be checked. Enrol "
    "this desk again with a new code and compare the hub's certificate fingerprint.",
    "sync.hub_cert_not_expected": "The certificate fingerprint of the hub at {url} is {seen}, not "
    "{expected} as on the hub's screen. Enrolment cancelled: check the hub's address.",
    "sync.hub_not_pinned": "This desk has not recorded the certificate of hub {url}. Enrol again "
    "with a new code (--enrol) so that it is recorded.",
    "sync.other_hub": "Hub {url} is not the hub this device is enrolled at.",
    "sync.enrolled": "Enrolled at the hub. Hub fingerprint: {fingerprint} — compare it "
    "with the hub's screen.",
    "sync.done": "Sync done: {pushed} sent (up to no. {acked_seq}), {pulled} received, "
    "{conflicts} double collections awaiting review.",
    "sync.refused": "The hub refused {count} journal entries ({problem}); they remain safe on "
    "this device. Contact the hub admin.",
    "sync.journal_broken": "This desk's journal fails its check (entry no. {seq} of device "
    "{device}, {uuid}: {problem}); sync refused, nothing sent. Call a supervisor "
    "(`bekasi-field journal verify`).",
    "sync.bundle_bad": "Bundle {path} is damaged, truncated or altered; nothing was applied.",
    "sync.bundle_wrong_kind": "Bundle {path} is not meant for this ({kind}).",
    "sync.bundle_wrong_device": "Bundle {path} was made for another device ({device}).",
    "sync.bundle_unknown_device": "Bundle {path} comes from a device that is not enrolled "
    "({device}).",
    "sync.bundle_exported": "Bundle written to {path}: {entries} journal entries, {evidence} "
    "evidence files.",
    "sync.bundle_imported": "Bundle applied: snapshot version {version}, {pulled} rows "
    "received.",
    "sync.bundle_missing": "File {path} not found.",
    "sync.bundle_needs_enrolment": "This device is not enrolled at a hub. Bundles are sealed "
    "with the credential and hub key received at enrolment: enrol once with "
    "`bekasi-field sync --hub URL --enrol CODE` (e.g. over a hotspot at the office).",
}
