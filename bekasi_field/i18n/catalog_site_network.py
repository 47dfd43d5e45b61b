"""Texts of the site network: live claims, automatic sync, hub discovery, the site hub."""

ID = {
    "live.msg.claimed": "Sedang diserahkan di meja lain sekarang: {site} (perangkat {device}, "
    "petugas {officer}, sejak {when}). Jangan serahkan.",
    "live.claim.granted": "Klaim di hub diterima.",
    "live.claim.offline": "Hub tidak menjawab: diperiksa dengan data meja ini saja.",
    "hub.claim_unknown": "Klaim tidak dikenal atau bukan milik perangkat ini.",
    "relay.not_enrolled": "Hub situs ini belum terdaftar di hub kota. Jalankan `bekasi-field hub "
    "--upstream URL --enrol KODE` (kode dari `hub enrol-code --relay` di hub kota).",
    "hub.not_a_relay": "Perangkat {device} tidak boleh meneruskan entri perangkat lain.",
    "discover.line": "{name}  {url}  sidik kunci {fingerprint}",
    "discover.none": "Tidak ada hub yang ditemukan di jaringan ini. Alamat hub tetap bisa "
    "diketik.",
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
    "live.claim.offline": "The hub did not answer: checked against this desk's data only.",
    "hub.claim_unknown": "Unknown claim, or not this device's.",
    "relay.not_enrolled": "This site hub is not enrolled at the city hub. Run `bekasi-field hub "
    "--upstream URL --enrol CODE` (a code from `hub enrol-code --relay` on the city hub).",
    "hub.not_a_relay": "Device {device} may not relay other devices' entries.",
    "discover.line": "{name}  {url}  key fingerprint {fingerprint}",
    "discover.none": "No hub found on this network. The hub's address can still be typed.",
    "watch.bad_rounds": "--rounds must be 1 or more.",
    "watch.bad_interval": "--interval must be more than 0 seconds.",
    "watch.started": "Automatic sync every {interval} seconds (Ctrl+C to stop).",
    "watch.stopped": "Automatic sync stopped.",
    "watch.round": "Round {round}: {pushed} sent, {pulled} received, {conflicts} double "
    "collections, {pending} waiting.",
    "watch.round_offline": "Round {round}: hub unreachable; {pending} waiting, next try in "
    "{next} seconds.",
}
