"""Tables of the web console: accounts, sessions, the audit log.

They join the hub's own registry (HubBase) so `HubStore.create_tables` makes them with the rest.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Text
from sqlmodel import Field

from bekasi_field.hub.models import HubBase, HubOfficerSite


class ConsoleAccount(HubBase, table=True):
    __tablename__ = "console_accounts"

    id: str = Field(primary_key=True)
    role: str  # admin | supervisor
    sites: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON kelurahan
    password_hash: str
    active: bool = True
    failed_attempts: int = 0
    locked_until: str | None = None
    created_at: str = ""


class ConsoleSession(HubBase, table=True):
    __tablename__ = "console_sessions"

    token_hash: str = Field(primary_key=True)  # sha256 of the cookie value; the value is not kept
    account_id: str = Field(index=True)
    csrf: str
    created_at: str
    expires_at: str


class ConsoleAudit(HubBase, table=True):
    __tablename__ = "console_audit"
    __table_args__ = (Index("ix_console_audit_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: str
    account_id: str
    action: str
    detail: str = Field(default="", sa_column=Column(Text, nullable=False))
    ip: str = ""


# Officers' sites are the hub's own table (hub/models.py), shared with entry validation.
__all__ = ["ConsoleAccount", "ConsoleAudit", "ConsoleSession", "HubOfficerSite"]
