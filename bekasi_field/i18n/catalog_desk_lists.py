"""Texts of the desk's counts, lists, name search and report actions (issue 11, points 6, 9, 10,
12): overrides shown with who approved and why, void reasons, the keys for the reports."""

ID = {
    # 11.6: one count, overrides counted apart
    "desk.counts.outside": "+{n} dari lokasi lain (izin pengawas)",
    "dash.remaining": "Belum mengambil: {n} KPM",
    "dash.outside": "Di luar alokasi, dengan izin pengawas: {n} KPM (tidak dihitung di atas)",
    "report.bast.remaining": "Belum mengambil",
    "report.bast.outside": "Dari lokasi lain dengan izin pengawas (di luar alokasi)",
    "report.bast.override_mark": "izin pengawas {approval}",
    "report.bast.overrides": "Serah terima dengan izin pengawas ({n})",
    "report.bast.override_line": "No. {no} {name} ({kelurahan}): disetujui pengawas {approval}",
    "report.col.override": "Izin pengawas (alasan)",
    "report.recap.outside": "Di luar alokasi (izin pengawas)",
    # 11.9: lists
    "desk.table.voided": "DIBATALKAN: {reason} — {by}",
    "desk.table.override": "izin pengawas {by}: {reason}",
    "desk.table.entry": "Entri jurnal #{seq}, perangkat {device}",
    "desk.void.list_no": "Di daftar hari ini: baris No. {n}.",
    # 11.12: every action has a key and a menu entry
    "desk.act.bast": "BAST hari ini (PDF)…",
    "desk.act.xlsx": "Rekap kegiatan (XLSX)…",
    "desk.act.dash_refresh": "Muat ulang dasbor",
    "desk.act.bundle": "Bundel sinkron ke USB…",
    "desk.save.bast": "Simpan BAST",
    "desk.save.xlsx": "Simpan rekap",
    "desk.save.bundle": "Simpan bundel untuk hub (USB)",
    "desk.report.writing": "Menulis {path}…",
    "desk.bundle.writing": "Menulis bundel ke {path}…",
    "desk.hub.needs_supervisor": "Alamat hub belum diatur. Supervisor mengisinya: pilih nama "
    "dan ketik PIN.",
    # 11.10: name search
    "desk.candidate.who": "{name} ({relation}) · NIK {nik}",
    "desk.candidate.where": "{status} · RT {rt}/RW {rw} · {kelurahan}",
    "desk.candidate.recipient": "penerima: {name}",
    "desk.verdict.matched": "Dicari",
    "desk.verdict.matched_value": "{name} ({relation}), anggota keluarga penerima ini",
}

EN = {
    "desk.counts.outside": "+{n} from other sites (supervisor's approval)",
    "dash.remaining": "Still to collect: {n} households",
    "dash.outside": "Outside the allocation, with a supervisor's approval: {n} households (not "
    "counted above)",
    "report.bast.remaining": "Still to collect",
    "report.bast.outside": "From other sites with a supervisor's approval (outside the "
    "allocation)",
    "report.bast.override_mark": "supervisor's approval {approval}",
    "report.bast.overrides": "Hand-overs with a supervisor's approval ({n})",
    "report.bast.override_line": "No. {no} {name} ({kelurahan}): approved by supervisor "
    "{approval}",
    "report.col.override": "Supervisor's approval (reason)",
    "report.recap.outside": "Outside the allocation (supervisor's approval)",
    "desk.table.voided": "VOID: {reason} — {by}",
    "desk.table.override": "supervisor's approval {by}: {reason}",
    "desk.table.entry": "Journal entry #{seq}, device {device}",
    "desk.void.list_no": "In today's list: row No. {n}.",
    "desk.act.bast": "Today's BAST (PDF)…",
    "desk.act.xlsx": "Event recap (XLSX)…",
    "desk.act.dash_refresh": "Refresh the dashboard",
    "desk.act.bundle": "Sync bundle to USB…",
    "desk.save.bast": "Save the BAST",
    "desk.save.xlsx": "Save the recap",
    "desk.save.bundle": "Save the bundle for the hub (USB)",
    "desk.report.writing": "Writing {path}…",
    "desk.bundle.writing": "Writing the bundle to {path}…",
    "desk.hub.needs_supervisor": "No hub address yet. A supervisor sets it: choose the name and "
    "type the PIN.",
    "desk.candidate.who": "{name} ({relation}) · NIK {nik}",
    "desk.candidate.where": "{status} · RT {rt}/RW {rw} · {kelurahan}",
    "desk.candidate.recipient": "recipient: {name}",
    "desk.verdict.matched": "Looked for",
    "desk.verdict.matched_value": "{name} ({relation}), a member of this recipient's household",
}
