"""bekasi-field: offline-first desk app for social-assistance hand-overs in Kota Bekasi."""

__version__ = "0.1.0"
