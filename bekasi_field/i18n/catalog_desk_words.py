"""Texts of the desk's words on a real day (issue 11): a mistyped NIK, where to send a person
who cannot collect here, the desk's name, dialog keys."""

ID = {
    # a typed number that is no NIK (domain.identifiers.number_problem)
    "desk.nik.length": "NIK harus 16 digit — terketik {n} digit.",
    "desk.nik.region": "Kode wilayah {region} tidak ada: periksa 6 angka pertama NIK.",
    "desk.nik.date": "Tanggal lahir dalam NIK tidak mungkin ({date}): periksa angka ke-7 "
    "sampai ke-12.",
    "desk.nik.serial": "Nomor urut 0000 tidak mungkin: periksa 4 angka terakhir NIK.",
    "desk.nik.typing": "{n} dari 16 digit",
    "desk.next.retype": "Cocokkan angka dengan KTP/KK, lalu ketik ulang.",
    "desk.next.unknown_elsewhere": "Coba cari dengan nama. Perangkat ini hanya memuat "
    "keluarga lokasi ini: bila ia terdaftar di lokasi lain, pindai undangannya untuk melihat "
    "lokasinya, atau arahkan ke kantor kelurahannya.",
    # where to send a person who cannot collect here
    "desk.next.wrong_site_other": "Arahkan ke lokasi penyaluran Kelurahan {other_site}; "
    "di sana ia terdaftar. Hanya bila tidak bisa ke sana: minta persetujuan supervisor (F8).",
    "desk.next.wrong_site_served": "Arahkan ke lokasi penyaluran yang melayani Kelurahan "
    "{kelurahan} (tanyakan ke kantor kelurahan). Hanya bila tidak bisa: minta persetujuan "
    "supervisor (F8).",
    "desk.next.suspended": "Jangan serahkan. Arahkan ke pendamping PKH atau Dinas Sosial Kota "
    "Bekasi untuk menanyakan status kepesertaannya.",
    "desk.next.graduated": "Jangan serahkan. Keluarga sudah graduasi; untuk pertanyaan arahkan "
    "ke pendamping PKH atau Dinas Sosial Kota Bekasi.",
    "desk.next.deceased": "Jangan serahkan. Ahli waris melapor ke kantor kelurahan dan Dinas "
    "Sosial Kota Bekasi untuk perubahan data keluarga.",
    "desk.verdict.code": "Kode",
    # SUDAH DIAMBIL: which desk recorded it
    "desk.collected.here": "di meja ini",
    "desk.collected.named_here": "{desk} (meja ini)",
    "desk.collected.other": "meja lain (perangkat {device}…)",
    "desk.set.desk_name": "Nama &meja (mis. Meja 2)",
}

EN = {
    "desk.nik.length": "A NIK has 16 digits — {n} typed.",
    "desk.nik.region": "There is no region code {region}: check the NIK's first 6 digits.",
    "desk.nik.date": "The birth date in the NIK is impossible ({date}): check digits 7 to 12.",
    "desk.nik.serial": "Serial number 0000 is impossible: check the NIK's last 4 digits.",
    "desk.nik.typing": "{n} of 16 digits",
    "desk.next.retype": "Compare the digits with the KTP/KK, then type it again.",
    "desk.next.unknown_elsewhere": "Try searching by name. This device holds only this "
    "site's families: if they are registered at another site, scan their slip to see where, "
    "or send them to their kelurahan office.",
    "desk.next.wrong_site_other": "Send them to the distribution site of Kelurahan "
    "{other_site}, where they are registered. Only if they cannot go there: ask a supervisor "
    "to approve (F8).",
    "desk.next.wrong_site_served": "Send them to the distribution site serving Kelurahan "
    "{kelurahan} (ask the kelurahan office). Only if they cannot: ask a supervisor to approve "
    "(F8).",
    "desk.next.suspended": "Do not hand over. Send them to the PKH facilitator or the Kota "
    "Bekasi Social Affairs Office (Dinas Sosial) about their membership.",
    "desk.next.graduated": "Do not hand over. The family has graduated; send questions to the "
    "PKH facilitator or the Kota Bekasi Social Affairs Office.",
    "desk.next.deceased": "Do not hand over. The heirs report to the kelurahan office and the "
    "Kota Bekasi Social Affairs Office to update the family data.",
    "desk.verdict.code": "Code",
    "desk.collected.here": "at this desk",
    "desk.collected.named_here": "{desk} (this desk)",
    "desk.collected.other": "another desk (device {device}…)",
    "desk.set.desk_name": "&Desk name (e.g. Meja 2)",
}
