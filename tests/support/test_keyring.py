"""A keyring backend of the tests' own: a JSON file named by BEKASI_TEST_KEYRING (set per test
by tests/conftest.py), so no test ever reads or writes the developer's key store, and child
processes (CLI, hub) see the same "account" as the test. Unset: no key store at all."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import NoKeyringError, PasswordDeleteError

ENV = "BEKASI_TEST_KEYRING"
_LOCK = threading.Lock()  # threads of one process; files are replaced whole for processes


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @staticmethod
    def _path() -> Path:
        value = os.environ.get(ENV)
        if not value:
            raise NoKeyringError("no key store on this test machine")
        return Path(value)

    def _load(self) -> dict[str, str]:
        try:
            return json.loads(self._path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _save(self, data: dict[str, str]) -> None:
        path = self._path()
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)

    def get_password(self, service: str, username: str) -> str | None:
        with _LOCK:
            return self._load().get(f"{service}\x00{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        with _LOCK:
            data = self._load()
            data[f"{service}\x00{username}"] = password
            self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        with _LOCK:
            data = self._load()
            if data.pop(f"{service}\x00{username}", None) is None:
                raise PasswordDeleteError(username)
            self._save(data)
