"""Deblurring of the slip only: a slip moved while the webcam exposed it, or out of focus.

A straight smear of L pixels along a direction blurs a QR's modules into each other, and no
sharpening brings them back (the chain read none of these frames). But a straight smear has
a known shape, so it can be undone (Wiener deconvolution) once its direction and length are
estimated from the picture itself:

- direction: the smear removes edges along the motion, so the gradient energy is smallest
  along it (the small eigenvector of the structure tensor); a frame whose gradients are about
  the same in every direction is not smeared and the pass stops there (~1 ms);
- length: the derivative along the motion of a smeared edge is a box of length L, so the
  derivative's autocorrelation along the motion is most negative at lag L.

Only the bright paper (the slip) is cropped and rotated so the motion runs along the rows;
each row is then deconvolved with a 1-D FFT, the result rotated back into the crop. Costs
~8-14 ms CPU on a 1280x720 frame's slip, nothing on frames that are not smeared.

Out of focus (a fixed-focus webcam with the slip too close): the same Wiener deconvolution on
the slip's crop with a Gaussian of 2 px (what the unsharp masks approximate, less well: they
read 6 of 8 such frames at 1280x720, this reads 8 of 8 with sigma 1.8-2.4). No estimate is
made of the width; 2 px is the middle of what cheap webcams showed in the synthetic set.
"""

from __future__ import annotations

import cv2
import numpy as np

from bekasi_field.scan.image_fixes import SLIP_MAX_PIXELS, Fixed, paper_box

# The smallest over the largest gradient energy (two directions): a sharp QR is close to 1 (its
# edges run both ways); a smear of 1.5-3 modules measured 0.14-0.40, Gaussian blur 0.5-1.
SMEAR_RATIO = 0.5
MIN_SMEAR, MAX_SMEAR = 3, 24  # pixels; shorter smears are for the sharpen passes
SMALL_FRAME = 800  # pixels on the long side: a 640x480 webcam
NOISE_TO_SIGNAL = 0.01
# Mean squared Sobel gradient below which a crop has no edges to measure (sensor noise of
# 2 grey levels alone gives ~50).
FLAT = 50.0  # Wiener's K: lower restores more and amplifies noise more


def smear_direction(gray: np.ndarray) -> tuple[float, float]:
    """(angle in radians of the least gradient energy, smallest/largest energy ratio)."""
    gx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    a, b, c = float(np.vdot(gx, gx)), float(np.vdot(gx, gy)), float(np.vdot(gy, gy))
    if a + c < FLAT * gray.size:
        return 0.0, 1.0  # no edges at all (a blank wall, a covered lens): nothing smeared
    spread = float(np.hypot(a - c, 2 * b))
    ratio = (a + c - spread) / max(a + c + spread, 1e-9)
    strongest = 0.5 * float(np.arctan2(2 * b, a - c))
    return strongest + np.pi / 2, ratio


def smear_length(rows: np.ndarray) -> int:
    """The smear length along the rows: where the row derivative's autocorrelation is lowest."""
    h = rows.shape[0]
    d = cv2.Sobel(rows, cv2.CV_32F, 1, 0, ksize=1)[h // 6: h - h // 6]
    energy = float(np.vdot(d, d)) or 1.0
    lags = range(MIN_SMEAR, min(MAX_SMEAR, d.shape[1] // 4) + 1)
    if not lags:
        return 0
    corr = [float(np.vdot(d[:, k:], d[:, :-k])) / energy for k in lags]
    return lags[int(np.argmin(corr))]


def _deconvolve_rows(rows: np.ndarray, length: int, *,
                     noise: float = NOISE_TO_SIGNAL) -> np.ndarray:
    """Wiener deconvolution of each row by a box of `length` pixels (float32 out)."""
    h, w = rows.shape
    pad = 2 * length
    n = cv2.getOptimalDFTSize(w + 2 * pad)
    src = cv2.copyMakeBorder(rows, 0, 0, pad, n - w - pad, cv2.BORDER_REFLECT).astype(np.float32)
    box = np.zeros(n, np.float64)
    box[:length] = 1.0 / length
    spectrum = np.fft.fft(np.roll(box, -(length // 2)))
    wiener = np.conj(spectrum) / (np.abs(spectrum) ** 2 + noise)
    filt = np.stack([wiener.real, wiener.imag], -1).astype(np.float32)[None]
    rows_f = cv2.dft(src, flags=cv2.DFT_ROWS | cv2.DFT_COMPLEX_OUTPUT)
    out = cv2.mulSpectrums(rows_f, np.ascontiguousarray(np.repeat(filt, h, 0)), cv2.DFT_ROWS)
    restored = cv2.idft(out, flags=cv2.DFT_ROWS | cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT)
    result: np.ndarray = restored[:, pad:pad + w]
    return result


def motion_deblurred(gray: np.ndarray) -> Fixed:
    """The slip with a straight motion smear undone (crop coordinates mapped back to the
    frame); the frame itself (nothing to do) when no slip is found or nothing is smeared."""
    box = paper_box(gray)
    if box is None:
        return Fixed(gray)
    x0, y0, x1, y1 = box
    crop = gray[y0:y1, x0:x1]
    angle, ratio = smear_direction(crop)
    if ratio > SMEAR_RATIO:
        return Fixed(gray)
    # A 640x480 webcam's modules are ~2 px: the two rotations below would blur them into each
    # other, so the crop is enlarged first and rotated with cubic interpolation (4 of 8 such
    # frames read, none without; at 1280x720 the plain crop reads 8 of 8).
    scale, interp, noise = 1.0, cv2.INTER_LINEAR, NOISE_TO_SIGNAL
    if max(gray.shape) <= SMALL_FRAME and crop.size * 4 <= SLIP_MAX_PIXELS:
        scale, interp, noise = 2.0, cv2.INTER_CUBIC, NOISE_TO_SIGNAL / 3
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    h, w = crop.shape
    c, s = abs(np.cos(angle)), abs(np.sin(angle))
    rw, rh = int(np.ceil(w * c + h * s)) + 2, int(np.ceil(w * s + h * c)) + 2
    # Rotate so the smear runs along the rows, on a canvas big enough to keep the corners.
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), float(np.degrees(angle)), 1.0)
    rot[0, 2] += (rw - w) / 2
    rot[1, 2] += (rh - h) / 2
    rows = cv2.warpAffine(crop, rot, (rw, rh), flags=interp, borderMode=cv2.BORDER_REPLICATE)
    length = smear_length(rows)
    if length < MIN_SMEAR:
        return Fixed(gray)
    restored = _deconvolve_rows(rows, length, noise=noise)
    back = cv2.warpAffine(restored, cv2.invertAffineTransform(rot), (w, h),
                          flags=interp, borderMode=cv2.BORDER_REPLICATE)
    return Fixed(np.clip(back, 0, 255).astype(np.uint8), scale, float(x0), float(y0))


DEFOCUS_SIGMA = 2.0
# Steepest edge (99.5th percentile of the Sobel magnitude) over the crop's contrast: a sharp
# step gives 4; the synthetic set measured 3.6-4.5 for sharp frames, 1.6-2.4 for a 1.8-2.4 px
# blur. Above this the defocus pass has nothing to undo and stops (~2 ms).
SOFT_EDGES = 3.0
MIN_CONTRAST = 8  # grey levels between the crop's 5th and 95th percentiles


def edge_steepness(gray: np.ndarray) -> float:
    """How steep the crop's steepest edges are for its contrast (4: a sharp step; infinite
    for a crop with no contrast)."""
    g = gray.astype(np.float32)
    # Every third pixel is plenty for a percentile, and three times cheaper to partition.
    mag = cv2.magnitude(cv2.Sobel(g, cv2.CV_32F, 1, 0), cv2.Sobel(g, cv2.CV_32F, 0, 1))
    sample = mag.ravel()[::3]
    k = int(sample.size * 0.995)
    steep = float(np.partition(sample, k)[k])
    cum = np.cumsum(cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel())
    lo, hi = np.searchsorted(cum, (0.05 * cum[-1], 0.95 * cum[-1]))
    if hi - lo < MIN_CONTRAST:
        return float("inf")  # a blank wall or a covered lens: no edges, nothing to deblur
    return steep / float(hi - lo)


def defocus_deblurred(gray: np.ndarray, *, sigma: float = DEFOCUS_SIGMA) -> Fixed:
    """The slip deconvolved by a Gaussian blur of `sigma` pixels (crop coordinates mapped back
    to the frame); the frame itself when no slip is found or its edges are sharp."""
    box = paper_box(gray)
    if box is None:
        return Fixed(gray)
    x0, y0, x1, y1 = box
    crop = gray[y0:y1, x0:x1]
    if edge_steepness(crop) > SOFT_EDGES:
        return Fixed(gray)
    h, w = crop.shape
    pad = int(3 * sigma) + 2
    fh, fw = cv2.getOptimalDFTSize(h + 2 * pad), cv2.getOptimalDFTSize(w + 2 * pad)
    src = cv2.copyMakeBorder(crop, pad, fh - h - pad, pad, fw - w - pad,
                             cv2.BORDER_REFLECT).astype(np.float32)
    fy = np.fft.fftfreq(fh).astype(np.float32)[:, None]
    fx = np.fft.fftfreq(fw).astype(np.float32)[None, :]
    blur = np.exp(np.float32(-2 * np.pi ** 2 * sigma ** 2) * (fx * fx + fy * fy))
    wiener = (blur / (blur * blur + np.float32(NOISE_TO_SIGNAL))).astype(np.float32)
    spectrum = cv2.dft(src, flags=cv2.DFT_COMPLEX_OUTPUT)
    filtered = np.multiply(spectrum, wiener[:, :, None], dtype=np.float32)
    restored = cv2.idft(filtered, flags=cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT)
    out = np.clip(restored[pad:pad + h, pad:pad + w], 0, 255).astype(np.uint8)
    return Fixed(out, 1.0, float(x0), float(y0))
