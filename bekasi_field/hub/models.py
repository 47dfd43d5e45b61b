"""The hub-only tables: devices and their credentials, enrolment codes, the hub journal,
quarantined batches, conflicts, evidence blobs and hub metadata.

They live in their own SQLModel registry (HubBase) so a device database never gets them and the
device-schema drift test keeps comparing device tables only. The registry tables (households,
members, events, entitlements, officers, issuer_keys, revoked_slips) are the device models from
bekasi_field/store/models.py, shared as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import Column, Index, LargeBinary, Table, Text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel, UniqueConstraint

from bekasi_field.store.entry_table import entry_columns


class HubBase(SQLModel, registry=registry()):
    if TYPE_CHECKING:  # SQLModel sets it on every table=True class; its stubs do not say so
        __table__: ClassVar[Table]


class HubDevice(HubBase, table=True):
    __tablename__ = "hub_devices"

    id: str = Field(primary_key=True)  # the device's own device_id (its journal entries carry it)
    name: str = ""
    site_kelurahan: str = ""
    token_hash: str = Field(unique=True)  # sha256 of the bearer token; the token is never stored
    public_key: str | None = None  # Ed25519 (hex) that signs the device's journal entries
    revoked: bool = False
    enrolled_at: str = ""
    last_seen: str | None = None


class HubEnrolCode(HubBase, table=True):
    __tablename__ = "hub_enrol_codes"

    code_hash: str = Field(primary_key=True)
    site_kelurahan: str = ""
    created_at: str = ""
    expires_at: str = ""
    used_at: str | None = None
    device_id: str | None = None


if TYPE_CHECKING:
    _HubJournalColumns = HubBase
else:  # the entry's fields come from domain.journal_entry, declared once for desk, hub and sync
    _HubJournalColumns = entry_columns(
        "_HubJournalColumns", base=HubBase, module=__name__, indexed=("device_id",),
        unique=("uuid", "hash"), long_text=True)


class HubJournal(_HubJournalColumns, table=True):
    """Every stored entry from every device; hub_seq is the pull cursor for the other devices.

    Its columns are domain.journal_entry.ENTRY_FIELDS plus hub_seq and received_at.
    """

    __tablename__ = "hub_journal"
    __table_args__ = (
        UniqueConstraint("device_id", "seq"),
        Index("ix_hub_journal_event_household", "event_id", "household_id"),
    )

    hub_seq: int | None = Field(default=None, primary_key=True)
    received_at: str = ""


class HubQuarantine(HubBase, table=True):
    """A refused batch or entry, kept whole for review: never merged into hub_journal."""

    __tablename__ = "hub_quarantine"

    id: int | None = Field(default=None, primary_key=True)
    device_id: str = Field(index=True)
    problem: str  # gap | broken_link | edited | duplicate_seq | uuid_mismatch | wrong_device
    seq: int | None = None
    uuid: str | None = None
    received_at: str = ""
    payload: str = Field(sa_column=Column(Text, nullable=False))  # the entries as JSON


class HubConflict(HubBase, table=True):
    """One household handed over more than once in one event (voids taken into account)."""

    __tablename__ = "hub_conflicts"
    __table_args__ = (UniqueConstraint("event_id", "household_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: str
    household_id: str
    entries: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of entry uuids
    devices: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    status: str = "open"  # open | resolved (a void brought it back to one hand-over)
    detected_at: str = ""
    updated_at: str = ""


class HubEvidence(HubBase, table=True):
    __tablename__ = "hub_evidence"

    sha256: str = Field(primary_key=True)
    size: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    received_at: str = ""


class HubEvidenceRef(HubBase, table=True):
    """Which devices' stored entries name an evidence file (hub/evidence.py): only such a file
    may be uploaded, and by that device (or by a relay carrying that device's entries)."""

    __tablename__ = "hub_evidence_refs"

    sha256: str = Field(primary_key=True)
    device_id: str = Field(primary_key=True)


class HubEvidenceUsage(HubBase, table=True):
    """Bytes of evidence stored for each device's entries, against its quota."""

    __tablename__ = "hub_evidence_usage"

    device_id: str = Field(primary_key=True)
    bytes: int = 0


class HubRowStamp(HubBase, table=True):
    """Per registry row: a digest of its content and the snapshot version it last changed at."""

    __tablename__ = "hub_row_stamps"
    __table_args__ = (Index("ix_hub_row_stamps_version", "version"),)

    tbl: str = Field(primary_key=True)
    pk: str = Field(primary_key=True)
    digest: str
    version: int
    deleted: bool = False


class HubMeta(HubBase, table=True):
    __tablename__ = "hub_meta"

    key: str = Field(primary_key=True)
    value: str = Field(sa_column=Column(Text, nullable=False))


class HubComplaint(HubBase, table=True):
    """A complaint / DTSEN update proposal pushed by a desk (domain.complaint_record), with its
    follow-up. The desk's fields are stored as signed and never changed; only the status
    columns move (hub/complaints.py)."""

    __tablename__ = "hub_complaints"
    __table_args__ = (UniqueConstraint("device_id", "seq"),
                      Index("ix_hub_complaints_kelurahan_status", "kelurahan", "status"))

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True)
    number: str = Field(unique=True)
    device_id: str = Field(index=True)
    seq: int
    created_at: str
    officer_id: str
    site: str = ""
    event_id: str = ""
    verdict: str = ""
    household_id: str | None = None
    nik: str = Field(index=True)
    name: str
    address: str = Field(default="", sa_column=Column(Text, nullable=False))
    rt: str = ""
    rw: str = ""
    kelurahan: str = ""
    phone: str = ""
    category: str
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    signature: str = ""
    signature_ok: bool | None = None  # None: the hub knew no public key for the device
    received_at: str = ""
    status: str = "new"  # domain.complaint_record.STATUSES
    status_note: str = Field(default="", sa_column=Column(Text, nullable=False))
    status_by: str = ""
    status_at: str = ""


class HubHeldVoid(HubBase, table=True):
    """A void the hub stored (it is in its device's chain) but does not apply: it voids another
    device's hand-over or one in an open conflict. It changes no verdict and reaches no other
    desk until a supervisor at the hub accepts it (hub/held_voids.py)."""

    __tablename__ = "hub_held_voids"

    void_uuid: str = Field(primary_key=True)
    voided_uuid: str
    device_id: str = Field(index=True)  # the device that pushed the void
    event_id: str
    household_id: str
    site_kelurahan: str = Field(default="", index=True)  # the event's site
    officer_id: str = ""  # the supervisor who approved the void at the desk
    reason: str  # other_device | open_conflict
    status: str = Field(default="pending", index=True)  # pending | accepted | rejected
    held_at: str = ""
    decided_by: str | None = None
    decided_at: str | None = None
    note: str = ""
    released_seq: int | None = Field(default=None, index=True)  # pull cursor once accepted


class HubOfficerSite(HubBase, table=True):
    """Which sites an officer serves: a device gets, and may record entries by, only the
    officers of its own site."""

    __tablename__ = "hub_officer_sites"

    officer_id: str = Field(primary_key=True)
    site_kelurahan: str = Field(primary_key=True)


class HubClaim(HubBase, table=True):
    """A desk's live claim on one subject of one event (a household, or a person's NIK in an
    enrolment event): of several desks asking at once, the unique key lets exactly one hold it.
    A held claim that no stored entry follows before `expires_at` stops counting (desk killed)."""

    __tablename__ = "hub_claims"
    __table_args__ = (UniqueConstraint("event_id", "subject"),)

    id: str = Field(primary_key=True)  # claim id (uuid4), the holder releases by it
    event_id: str
    subject: str  # "hh:<household id>" or "nik:<NIK>"
    household_id: str
    device_id: str
    officer_id: str = ""
    site: str = ""
    status: str = "held"  # held | released
    created_at: str = ""
    expires_at: float = 0.0  # epoch seconds, hub clock


class HubRelayGrant(HubBase, table=True):
    """An enrolment code that lets the device enrolled with it relay other devices' entries
    (a site hub pushing its desks' journals to the city hub)."""

    __tablename__ = "hub_relay_grants"

    code_hash: str = Field(primary_key=True)
    created_at: str = ""
