"""A watch on the GUI thread: records every database statement and every argon2 hash or verify
that runs on it. Raw connections are traced through Database.raw (every statement, on whatever
thread runs it), SQLAlchemy through the engine's cursor events, argon2 at its PasswordHasher."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bekasi_field.store.db import Database


class GuiThreadGuard:
    def __init__(self) -> None:
        self.violations: list[str] = []
        self.active = True

    def check(self, what: str) -> None:
        if self.active and threading.current_thread() is threading.main_thread():
            where = "".join(traceback.format_stack(limit=12)[:-2])
            self.violations.append(f"{what}\n{where}")


@contextmanager
def watch_gui_thread(monkeypatch: Any) -> Iterator[GuiThreadGuard]:
    guard = GuiThreadGuard()
    raw = Database.raw

    def traced_raw(self: Database) -> Any:
        guard.check("Database.raw() opened a connection")
        conn = raw(self)
        conn.set_trace_callback(lambda sql: guard.check(f"SQL: {sql[:80]}"))
        return conn

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        guard.check(f"SQLAlchemy: {statement[:80]}")

    hash_, verify = PasswordHasher.hash, PasswordHasher.verify

    def hashing(self: PasswordHasher, *args: Any, **kwargs: Any) -> Any:
        guard.check("argon2 hash")
        return hash_(self, *args, **kwargs)

    def verifying(self: PasswordHasher, *args: Any, **kwargs: Any) -> Any:
        guard.check("argon2 verify")
        return verify(self, *args, **kwargs)

    monkeypatch.setattr(Database, "raw", traced_raw)
    monkeypatch.setattr(PasswordHasher, "hash", hashing)
    monkeypatch.setattr(PasswordHasher, "verify", verifying)
    event.listen(Engine, "before_cursor_execute", on_execute)
    try:
        yield guard
    finally:
        guard.active = False
        event.remove(Engine, "before_cursor_execute", on_execute)
