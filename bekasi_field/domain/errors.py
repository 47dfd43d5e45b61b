"""Errors a user can cause; the CLI turns them into exit code 3 and the GUI into a message."""

from __future__ import annotations


class BekasiError(Exception):
    """Bad input or data: a clear message for the user, data left untouched."""

    exit_code = 3

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(BekasiError):
    """The command was called the wrong way (exit code 2)."""

    exit_code = 2


class DatabaseError(BekasiError):
    """The database file is missing, foreign, corrupt or too new."""
