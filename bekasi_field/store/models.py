"""The snapshot and journal tables of a device.

Changing a column here needs a new step in `store/migrations.py`; tests/store/test_migrations.py
fails when the migrated schema and these models drift apart.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Index
from sqlmodel import Field, SQLModel, UniqueConstraint

from bekasi_field.store.entry_table import entry_columns


class Household(SQLModel, table=True):
    __tablename__ = "households"

    id: str = Field(primary_key=True)  # DTSEN household id (id_keluarga)
    no_kk: str = Field(index=True)
    address: str = ""
    rt: str = ""
    rw: str = ""
    kelurahan: str = Field(default="", index=True)
    kecamatan: str = ""
    desil: int | None = None
    programs: str = ""  # sorted, comma-separated: "BPNT,KKS,PKH"
    status: str = "active"  # active | suspended | graduated | deceased
    kks_card: str | None = Field(default=None, index=True)
    content_hash: str = ""  # of the imported fields, to tell unchanged from updated rows
    # schema v5: when (ISO UTC) a pendamping graduated the household from PKH; set by the hub
    # from the graduation entry, shipped with the snapshot; not a roster field
    pkh_graduated_on: str | None = None
    version: int = 0  # snapshot version at which the row last changed (hub deltas)


class Member(SQLModel, table=True):
    __tablename__ = "members"

    nik: str = Field(primary_key=True)
    household_id: str = Field(foreign_key="households.id", index=True)
    name: str
    name_norm: str = Field(default="", index=True)  # domain.names.normalize_name(name)
    relationship: str = ""  # hubungan: Kepala Keluarga, Istri, Anak, ...
    sex: str = ""  # L | P
    birth_date: dt.date | None = None
    is_recipient: bool = False  # pengurus: the designated recipient
    content_hash: str = ""
    # schema v5: pekerjaan as the registry spells it (domain.occupations); a server default
    # because the raw-SQL roster writers leave the column out
    occupation: str = Field(default="", sa_column_kwargs={"server_default": ""})
    version: int = 0


class Event(SQLModel, table=True):
    __tablename__ = "events"

    id: str = Field(primary_key=True)
    name: str
    programme: str  # KKS | BLT | BPNT | PKH | BPJSTK
    site_kelurahan: str
    served_kelurahan: str  # JSON list of kelurahan names
    start_date: dt.date
    end_date: dt.date
    item: str  # what each household receives, e.g. "Kartu KKS", "Beras 10 kg"
    amount: int | None = None  # Rupiah, when the item has a value
    require_photo: bool = False
    require_signature: bool = False
    allow_proxy: bool = True
    status: str = "open"  # open | closed
    created_at: str = ""
    version: int = 0
    # schema v5: handover | enrolment | graduation, and the kind's own settings as canonical
    # JSON (enrolment: quota, priority, cover period, budget; graduation: target)
    kind: str = Field(default="handover", sa_column_kwargs={"server_default": "handover"})
    params: str = Field(default="{}", sa_column_kwargs={"server_default": "{}"})


class Entitlement(SQLModel, table=True):
    __tablename__ = "entitlements"
    __table_args__ = (UniqueConstraint("event_id", "household_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(foreign_key="events.id", index=True)
    household_id: str = Field(foreign_key="households.id", index=True)
    item: str
    amount: int | None = None
    slip_serial: str = Field(unique=True)
    version: int = 0


class PersonEntitlement(SQLModel, table=True):
    """One worker selected in an enrolment event (BPJS-TK covers a person, not a household)."""

    __tablename__ = "person_entitlements"
    __table_args__ = (UniqueConstraint("event_id", "nik"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(foreign_key="events.id", index=True)
    nik: str = Field(index=True)
    household_id: str = Field(foreign_key="households.id", index=True)
    item: str
    amount: int | None = None
    rank: int = 0  # place in the selection's priority order
    reason: str = ""  # why selected (domain.selection_rules.Judged.why)
    version: int = 0


if TYPE_CHECKING:
    _JournalColumns = SQLModel
else:  # the entry's fields come from domain.journal_entry, declared once for desk, hub and sync
    _JournalColumns = entry_columns(
        "_JournalColumns", base=SQLModel, module=__name__, primary_key="uuid",
        indexed=("device_id", "event_id", "household_id"), unique=("hash",))


class JournalEntry(_JournalColumns, table=True):
    """A hand-over or a void; never updated or deleted. Hashed by domain.journal_chain.

    Its columns are domain.journal_entry.ENTRY_FIELDS plus received_at, which stays here.
    """

    __tablename__ = "journal"
    __table_args__ = (
        UniqueConstraint("device_id", "seq"),
        # schema v2: the verdict's "already collected?" lookup
        Index("ix_journal_event_household", "event_id", "household_id"),
        # schema v5: the enrolment check's "enrolled already?" lookup by the worker's NIK
        Index("ix_journal_recipient_nik", "recipient_nik"),
    )

    received_at: str | None = None  # set when learned from another device through sync


class Officer(SQLModel, table=True):
    __tablename__ = "officers"

    id: str = Field(primary_key=True)
    name: str
    role: str  # petugas | pendamping | supervisor | admin
    pin_hash: str
    active: bool = True
    failed_attempts: int = 0
    locked_until: str | None = None
    version: int = 0


class Device(SQLModel, table=True):
    __tablename__ = "devices"

    id: str = Field(primary_key=True)
    name: str = ""
    site_kelurahan: str = ""
    is_self: bool = False
    created_at: str = ""
    public_key: str | None = None  # Ed25519, hex: checks the device's entry signatures (v4)


class IssuerKey(SQLModel, table=True):
    __tablename__ = "issuer_keys"

    key_id: str = Field(primary_key=True)
    public_key: str  # raw Ed25519 public key, hex
    valid_from: dt.date
    valid_to: dt.date
    revoked: bool = False
    version: int = 0


class RevokedSlip(SQLModel, table=True):
    __tablename__ = "revoked_slips"

    slip_serial: str = Field(primary_key=True)
    reason: str = ""
    revoked_at: str = ""
    version: int = 0


class Meta(SQLModel, table=True):
    """Snapshot metadata and device state: key/value (device_id, snapshot_version, hub_url...)."""

    __tablename__ = "meta"

    key: str = Field(primary_key=True)
    value: str


class Complaint(SQLModel, table=True):
    """A complaint / DTSEN update proposal of someone turned away (domain.complaint_record);
    never updated: the follow-up status lives at the hub."""

    __tablename__ = "complaints"
    __table_args__ = (UniqueConstraint("device_id", "seq"),)

    uuid: str = Field(primary_key=True)
    number: str = Field(unique=True)  # ADU-XXXX-XXXX, told to the person
    device_id: str
    seq: int  # gapless per device: the push cursor, like the journal's
    created_at: str
    officer_id: str
    site: str = ""
    event_id: str = ""
    verdict: str = ""  # the verdict that turned the person away, when one was shown
    household_id: str | None = Field(default=None, index=True)
    nik: str = Field(index=True)
    name: str
    address: str = ""
    rt: str = ""
    rw: str = ""
    kelurahan: str = ""
    phone: str = ""
    category: str
    note: str = ""
    signature: str = ""  # Ed25519 of domain.complaint_record.signed_bytes by the device key
    received_at: str | None = None  # set when learned from the hub


class JournalRedaction(SQLModel, table=True):
    """An entry a retention purge stripped of personal fields (services/purge.py): the hash of
    the entry as redacted, which `journal verify` checks in place of its `hash`."""

    __tablename__ = "journal_redactions"

    uuid: str = Field(primary_key=True)
    rest_sha256: str
    redacted_at: str
