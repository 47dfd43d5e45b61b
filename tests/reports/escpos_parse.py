"""A strict reader of the ESC/POS subset our tickets use, for tests: text lines, raster images
(GS v 0) as boolean arrays, native QR data (GS ( k, fn 80) and cuts. An unknown command fails
loudly, so a change in what python-escpos emits is noticed, not skipped over."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

ESC, GS, LF = 0x1B, 0x1D, 0x0A
# ESC x n: commands with one parameter byte
_ESC_ONE = {0x21, 0x45, 0x61, 0x74, 0x4D, 0x2D, 0x64, 0x47, 0x7B, 0x33, 0x56, 0x52, 0x4A}
_GS_ONE = {0x21, 0x42, 0x48, 0x66, 0x68, 0x77, 0x62}


@dataclass
class Ticket:
    lines: list[str] = field(default_factory=list)
    images: list[np.ndarray] = field(default_factory=list)
    native_qr: list[str] = field(default_factory=list)
    cuts: int = 0
    bold_lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def parse(data: bytes) -> Ticket:
    t = Ticket()
    line = bytearray()
    bold = False
    line_bold = False
    i = 0
    while i < len(data):
        b = data[i]
        if b == LF:
            text = line.decode("ascii")
            t.lines.append(text)
            if line_bold and text.strip():
                t.bold_lines.append(text)
            line.clear()
            line_bold = bold
            i += 1
        elif b == ESC:
            cmd = data[i + 1]
            if cmd == 0x40:  # ESC @ init
                i += 2
            elif cmd in _ESC_ONE:
                if cmd == 0x45:
                    bold = bool(data[i + 2])
                    line_bold = line_bold or bold
                i += 3
            elif cmd == 0x32:  # ESC 2 default line spacing
                i += 2
            else:
                raise ValueError(f"unknown ESC 0x{cmd:02x} at {i}")
        elif b == GS:
            cmd = data[i + 1]
            if cmd in _GS_ONE:
                i += 3
            elif cmd == 0x56:  # GS V m [n]
                t.cuts += 1
                i += 4 if data[i + 2] in (0x41, 0x42) else 3
            elif cmd == 0x76 and data[i + 2] == 0x30:  # GS v 0 m xL xH yL yH data
                x_bytes = data[i + 4] | data[i + 5] << 8
                y = data[i + 6] | data[i + 7] << 8
                raw = np.frombuffer(data, np.uint8, x_bytes * y, i + 8).reshape(y, x_bytes)
                t.images.append(np.unpackbits(raw, axis=1).astype(bool))
                i += 8 + x_bytes * y
            elif cmd == 0x28 and data[i + 2] == 0x6B:  # GS ( k pL pH cn fn ...
                n = data[i + 3] | data[i + 4] << 8
                body = data[i + 5:i + 5 + n]
                if body[0] == 49 and body[1] == 80:  # store QR data: cn=49 fn=80 m=48
                    t.native_qr.append(body[3:].decode("ascii"))
                i += 5 + n
            elif cmd in (0x4C, 0x57):  # GS L / GS W nL nH
                i += 4
            else:
                raise ValueError(f"unknown GS 0x{cmd:02x} at {i}")
        else:
            line.append(b)
            i += 1
    if line:
        t.lines.append(line.decode("ascii"))
    return t


def decode_qr_image(image: np.ndarray) -> list[str]:
    """The QR codes in a raster image (True = black), read with zxing-cpp."""
    import zxingcpp
    grey = np.where(image, 0, 255).astype(np.uint8)
    grey = np.pad(grey, 24, constant_values=255)
    # zxing-cpp may report one symbol twice (found by two of its passes): distinct texts count
    found = zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.QRCode)
    return list(dict.fromkeys(r.text for r in found))
