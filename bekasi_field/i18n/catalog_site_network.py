"""Texts of the site network: live claims, automatic sync, hub discovery, the site hub."""

ID = {
    "live.msg.claimed": "Sedang diserahkan di meja lain sekarang: {site} (perangkat {device}, "
    "petugas {officer}, sejak {when}). Jangan serahkan.",
    "live.claim.granted": "Klaim di hub diterima.",
    "live.enrol.collected": "{name} sudah didaftarkan pada {when} di {site} (perangkat {device}, "
    "petugas {officer}). Jangan daftarkan lagi.",
    "live.enrol.claimed": "{name} sedang didaftarkan di meja lain sekarang: {site} (perangkat "
    "{device}, petugas {officer}, sejak {when}). Jangan daftarkan lagi.",
    "live.claim.offline": "Hub tidak menjawab: diperiksa dengan data meja ini saja.",
    "hub.claim_unknown": "Klaim tidak dikenal atau bukan milik perangkat ini.",
    "relay.not_enrolled": "Hub situs ini belum terdaftar di hub kota. Jalankan `bekasi-field hub "
    "--upstream URL --enrol KODE` (kode dari `hub enrol-code --relay` di hub kota).",
    "hub.not_a_relay": "Perangkat {device} tidak boleh meneruskan entri perangkat lain.",
    "relay.bundle_written": "Bundel relai ditulis ke {path}: {entries} entri, {evidence} berkas "
    "bukti.",
    "relay.bundle_stored": "Bundel relai disimpan: {stored} entri baru, {duplicates} sudah ada, "
    "{conflicts} pengambilan ganda baru.",
    "discover.line": "{name}  {url}  sidik kunci {fingerprint}",
    "discover.none": "Tidak ada hub yang ditemukan di jaringan ini. Alamat hub tetap bisa "
    "diketik.",
    "sitehub.failed": "Hub situs tidak dapat dijalankan: {detail}",
    "sitehub.running": "Hub situs berjalan di {url} (proses {pid}). Sidik kunci: {fingerprint} — "
    "cocokkan di setiap meja.",
    "sitehub.next_code": "Kode pendaftaran untuk meja berikutnya: {code}",
    "sitehub.stopped": "Hub situs dihentikan.",
    "sitehub.not_running": "Hub situs tidak berjalan di laptop ini.",
    "net.standalone": "Meja mandiri (tanpa hub): pemeriksaan hanya dari data meja ini.",
    "net.online": "Hub terhubung: pemeriksaan langsung di hub · {pending} menunggu dikirim",
    "net.offline": "HUB TIDAK TERJANGKAU — pemeriksaan hanya dari data meja ini; {pending} "
    "serah terima antre, dicoba lagi dalam {next} detik",
    "net.journal_broken": "JURNAL MEJA INI RUSAK — sinkron ditolak (entri no. {seq}: "
    "{problem}); {pending} serah terima tidak dikirim. Hubungi supervisor.",
    "net.conflicts": "{n} pengambilan ganda menunggu tinjauan",
    "net.find_hubs": "Cari hub di jaringan ini",
    "net.searching": "Mencari hub…",
    "net.hub_item": "{name} — {url}\n    sidik kunci: {fingerprint}",
    "net.compare_fingerprint": "Pilih hub, lalu cocokkan sidik kuncinya dengan layar hub "
    "sebelum mendaftar.",
    "gui.act.site_hub": "Jalankan hub situs di laptop ini",
    "sitehub.dialog_title": "Hub situs",
    "sitehub.starting": "Menjalankan hub situs…",
    "watch.bad_rounds": "--rounds harus 1 atau lebih.",
    "watch.bad_interval": "--interval harus lebih dari 0 detik.",
    "watch.started": "Sinkron otomatis setiap {interval} detik (Ctrl+C untuk berhenti).",
    "watch.stopped": "Sinkron otomatis dihentikan.",
    "watch.round": "Putaran {round}: {pushed} dikirim, {pulled} diterima, {conflicts} "
    "pengambilan ganda, {pending} menunggu.",
    "watch.round_offline": "Putaran {round}: hub tidak terjangkau; {pending} menunggu, coba "
    "lagi dalam {next} detik.",
}

EN = {
    "live.msg.claimed": "Being handed over at another desk right now: {site} (device {device}, "
    "officer {officer}, since {when}). Do not hand over.",
    "live.claim.granted": "Claim granted by the hub.",
    "live.enrol.collected": "{name} was already enrolled at {when} at {site} (device {device}, "
    "officer {officer}). Do not enrol again.",
    "live.enrol.claimed": "{name} is being enrolled at another desk right now: {site} (device "
    "{device}, officer {officer}, since {when}). Do not enrol again.",
    "live.claim.offline": "The hub did not answer: checked against this desk's data only.",
    "hub.claim_unknown": "Unknown claim, or not this device's.",
    "relay.not_enrolled": "This site hub is not enrolled at the city hub. Run `bekasi-field hub "
    "--upstream URL --enrol CODE` (a code from `hub enrol-code --relay` on the city hub).",
    "hub.not_a_relay": "Device {device} may not relay other devices' entries.",
    "relay.bundle_written": "Relay bundle written to {path}: {entries} entries, {evidence} "
    "evidence files.",
    "relay.bundle_stored": "Relay bundle stored: {stored} new entries, {duplicates} already "
    "there, {conflicts} new double collections.",
    "discover.line": "{name}  {url}  key fingerprint {fingerprint}",
    "discover.none": "No hub found on this network. The hub's address can still be typed.",
    "sitehub.failed": "The site hub could not be started: {detail}",
    "sitehub.running": "Site hub running at {url} (process {pid}). Key fingerprint: "
    "{fingerprint} — compare it at every desk.",
    "sitehub.next_code": "Enrolment code for the next desk: {code}",
    "sitehub.stopped": "Site hub stopped.",
    "sitehub.not_running": "No site hub is running on this laptop.",
    "net.standalone": "Stand-alone desk (no hub): checks use this desk's data only.",
    "net.online": "Hub connected: checks are live at the hub · {pending} waiting to be sent",
    "net.offline": "HUB UNREACHABLE — checks use this desk's data only; {pending} hand-overs "
    "queued, next try in {next} seconds",
    "net.journal_broken": "THIS DESK'S JOURNAL IS DAMAGED — sync refused (entry no. {seq}: "
    "{problem}); {pending} hand-overs not sent. Call a supervisor.",
    "net.conflicts": "{n} double collections awaiting review",
    "net.find_hubs": "Find hubs on this network",
    "net.searching": "Looking for hubs…",
    "net.hub_item": "{name} — {url}\n    key fingerprint: {fingerprint}",
    "net.compare_fingerprint": "Choose a hub, then compare its key fingerprint with the hub's "
    "screen before enrolling.",
    "gui.act.site_hub": "Run a site hub on this laptop",
    "sitehub.dialog_title": "Site hub",
    "sitehub.starting": "Starting the site hub…",
    "watch.bad_rounds": "--rounds must be 1 or more.",
    "watch.bad_interval": "--interval must be more than 0 seconds.",
    "watch.started": "Automatic sync every {interval} seconds (Ctrl+C to stop).",
    "watch.stopped": "Automatic sync stopped.",
    "watch.round": "Round {round}: {pushed} sent, {pulled} received, {conflicts} double "
    "collections, {pending} waiting.",
    "watch.round_offline": "Round {round}: hub unreachable; {pending} waiting, next try in "
    "{next} seconds.",
}
