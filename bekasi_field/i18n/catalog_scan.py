"""Texts of the scanning pipeline and the `scan` command."""

ID = {
    "scan.camera_not_found": "Kamera {index} tidak ditemukan. Periksa kabel USB kamera, "
    "atau pilih kamera lain.",
    "scan.camera_lost": "Kamera terputus. Menyambung ulang…",
    "scan.file_missing": "Berkas {path} tidak ditemukan.",
    "scan.file_unreadable": "Berkas {path} tidak dapat dibaca sebagai gambar atau video.",
    "scan.folder_empty": "Folder {path} tidak berisi gambar.",
    "scan.no_decoder": "Tidak ada pembaca kode yang terpasang (zxing-cpp atau pyzbar). "
    "Pasang ulang aplikasi.",
    "scan.decoder_missing": "Pembaca {name} tidak tersedia: {reason}",
    "scan.no_code": "{file}: tidak ada kode yang terbaca.",
    "scan.result": "{file}{frame}: {text} → {verdict}",
    "scan.frame": " (bingkai {index})",
    "scan.summary": "{codes} kode terbaca dari {files} berkas.",
}

EN = {
    "scan.camera_not_found": "Camera {index} not found. Check the camera's USB cable, "
    "or choose another camera.",
    "scan.camera_lost": "Camera disconnected. Reconnecting…",
    "scan.file_missing": "File {path} not found.",
    "scan.file_unreadable": "File {path} cannot be read as an image or a video.",
    "scan.folder_empty": "Folder {path} holds no images.",
    "scan.no_decoder": "No code reader is installed (zxing-cpp or pyzbar). "
    "Reinstall the application.",
    "scan.decoder_missing": "Reader {name} is not available: {reason}",
    "scan.no_code": "{file}: no code could be read.",
    "scan.result": "{file}{frame}: {text} → {verdict}",
    "scan.frame": " (frame {index})",
    "scan.summary": "{codes} codes read from {files} files.",
}
