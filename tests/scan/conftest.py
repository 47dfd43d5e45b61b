"""Fixtures for the scanning tests: slip-like texts and their images, made on the fly."""

from __future__ import annotations

import numpy as np
import pytest

from bekasi_field.scan import decoders
from bekasi_field.scan.synthetic import clean_slip_image, slip_like_text


@pytest.fixture(autouse=True)
def _fresh_decoder_reports() -> None:
    decoders.reset_availability()


@pytest.fixture
def texts() -> list[str]:
    rng = np.random.default_rng(42)
    return [slip_like_text(rng) for _ in range(4)]


@pytest.fixture
def slip_image(texts: list[str]) -> np.ndarray:
    """A flat slip on a white margin, as printed (greyscale)."""
    img = clean_slip_image(texts[0], module_px=4)
    return np.pad(img, 40, constant_values=240)
