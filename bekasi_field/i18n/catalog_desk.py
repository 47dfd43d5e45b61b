"""Texts of the desk's second version (state, checks, lock-out, reports menu)."""

ID: dict[str, str] = {
    "desk.menu.reports": "&Laporan",
    "desk.login.pick_officer": "Pilih nama Anda dulu (panah atas/bawah), lalu ketik PIN.",
    "pin.empty": "Ketik PIN dulu, lalu Enter.",
    "pin.locked_exact": "Akun {officer} terkunci sampai pukul {until} WIB (lagi {minutes} menit "
    "{seconds} detik) karena terlalu banyak PIN salah. Supervisor lain dapat membuka kuncinya "
    "(Ctrl+U).",
    "pin.unlock_self": "Kunci dibuka oleh supervisor lain, bukan oleh petugas yang terkunci.",
    "pin.unlock_not_supervisor": "{officer} bukan supervisor.",
    "desk.unlock.button": "Buka kunci petugas ini (supervisor lain, Ctrl+U)",
    "desk.unlock.title": "Buka kunci petugas",
    "desk.unlock.prompt": "Supervisor lain membuka kunci {officer} dengan PIN-nya sendiri.",
    "desk.unlock.done": "Kunci {officer} dibuka oleh {supervisor}.",
    "desk.saved.message": "{item} sudah diserahkan kepada {name}.",
    "desk.login.locked_manual": "Meja dikunci. Masukkan PIN untuk melanjutkan; daftar hari ini "
    "tetap ada, hasil pindai terakhir dihapus.",
    "desk.proxy.nobody": "— tidak ada (diambil kuasa)",
    "desk.proxy.need_member": "Pilih anggota keluarga yang hadir.",
    "desk.proxy.ktp_seen": "KTP k&uasa dilihat dan cocok",
    "desk.proxy.need_ktp": "Periksa KTP kuasa lebih dulu.",
    "desk.proxy.approver": "Disetujui oleh",
    "desk.proxy.approver_pin": "PIN yang menyetujui",
    "desk.proxy.no_approver": "Tidak ada pendamping atau supervisor untuk menyetujui kuasa.",
    "desk.proxy.need_pin": "Pendamping atau supervisor memasukkan PIN-nya sendiri.",
    "desk.proxy.not_approver": "{officer} bukan pendamping PKH atau supervisor.",
    "desk.id.title": "Cocokkan KTP/KK",
    "desk.id.prompt": "Undangan harus dibawa beserta KTP/KK asli.\nCocokkan dengan penerima: "
    "{name}, NIK {nik}.\nTekan 1 bila KTP cocok, 2 bila KK cocok, Esc untuk batal.",
    "desk.id.ktp": "1 · KTP cocok",
    "desk.id.kk": "2 · KK cocok",
    "desk.id.cancel": "Esc · Batal",
    "desk.flow.stale": "Hasil pindai lebih dari {minutes} menit yang lalu, jadi diperiksa ulang. "
    "Lihat hasilnya, lalu tekan Enter lagi.",
}

EN: dict[str, str] = {
    "desk.menu.reports": "&Reports",
    "desk.login.pick_officer": "Pick your name first (arrow keys), then type the PIN.",
    "pin.empty": "Type the PIN first, then Enter.",
    "pin.locked_exact": "Account {officer} is locked until {until} WIB ({minutes} min {seconds} s "
    "from now) after too many wrong PINs. Another supervisor can unlock it (Ctrl+U).",
    "pin.unlock_self": "Another supervisor unlocks, not the locked officer.",
    "pin.unlock_not_supervisor": "{officer} is not a supervisor.",
    "desk.unlock.button": "Unlock this officer (another supervisor, Ctrl+U)",
    "desk.unlock.title": "Unlock an officer",
    "desk.unlock.prompt": "Another supervisor unlocks {officer} with their own PIN.",
    "desk.unlock.done": "{officer} unlocked by {supervisor}.",
    "desk.saved.message": "{item} was handed over to {name}.",
    "desk.login.locked_manual": "The desk is locked. Enter a PIN to go on; today's lists stay, "
    "the last scan result is cleared.",
    "desk.proxy.nobody": "— nobody (collected by a proxy)",
    "desk.proxy.need_member": "Choose the family member who is here.",
    "desk.proxy.ktp_seen": "Pro&xy's KTP seen and matching",
    "desk.proxy.need_ktp": "Check the proxy's KTP first.",
    "desk.proxy.approver": "Approved by",
    "desk.proxy.approver_pin": "Approver's PIN",
    "desk.proxy.no_approver": "No facilitator or supervisor here to approve a proxy.",
    "desk.proxy.need_pin": "The facilitator or supervisor enters their own PIN.",
    "desk.proxy.not_approver": "{officer} is not a PKH facilitator or supervisor.",
    "desk.id.title": "Match the KTP/KK",
    "desk.id.prompt": "The slip must come with the original KTP/KK.\nMatch it to the recipient: "
    "{name}, NIK {nik}.\nPress 1 if the KTP matches, 2 if the KK matches, Esc to cancel.",
    "desk.id.ktp": "1 · KTP matches",
    "desk.id.kk": "2 · KK matches",
    "desk.id.cancel": "Esc · Cancel",
    "desk.flow.stale": "The scan is more than {minutes} minutes old, so it was checked again. "
    "Look at the result, then press Enter again.",
}
