"""Texts of the KTP reader (scan/ktp.py) and of the camera's guidance to the officer."""

ID = {
    "ktp.no_engine": "Pembaca KTP tidak terpasang (rapidocr, onnxruntime); kode QR tetap terbaca.",
    "ktp.read": "KTP terbaca: NIK {nik}",
    "ktp.name_on_card": "Nama di KTP: {name}",
}

EN = {
    "ktp.no_engine": "The KTP reader is not installed (rapidocr, onnxruntime); QR codes still read.",
    "ktp.read": "KTP read: NIK {nik}",
    "ktp.name_on_card": "Name on the KTP: {name}",
}
