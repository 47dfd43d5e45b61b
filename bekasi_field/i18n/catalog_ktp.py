"""Texts of the KTP reader (scan/ktp.py) and of the camera's guidance to the officer."""

ID = {
    "ktp.no_engine": "Pembaca KTP tidak terpasang (rapidocr, onnxruntime); kode QR tetap terbaca.",
    "ktp.read": "KTP terbaca: NIK {nik}",
    "ktp.name_on_card": "Nama di KTP: {name}",
    "ktp.card_name_caption": "Nama di KTP",
    "ktp.name_unread": "(tidak terbaca, bandingkan dengan KTP)",
    "scan.hint.closer": "Dekatkan undangan ke kamera",
    "scan.hint.glare": "Kurangi silau: miringkan sedikit, jauhkan dari lampu/jendela",
    "scan.hint.hold_still": "Tahan sebentar, jangan bergerak",
}

EN = {
    "ktp.no_engine": "The KTP reader is not installed (rapidocr, onnxruntime); QR codes still read.",
    "ktp.read": "KTP read: NIK {nik}",
    "ktp.name_on_card": "Name on the KTP: {name}",
    "ktp.card_name_caption": "Name on the KTP",
    "ktp.name_unread": "(not read; compare with the KTP)",
    "scan.hint.closer": "Bring the slip closer to the camera",
    "scan.hint.glare": "Less glare: tilt it a little, away from the lamp or window",
    "scan.hint.hold_still": "Hold it still for a moment",
}
