"""What a device of one site may pull (DESIGN §5): its site's registry, not the city's.

A device gets the households of the kelurahan its site's events serve, plus any household
entitled at one of those events (with their members, entitlements anywhere, so WRONG_SITE still
names the other site), the officers assigned to its site (hub_officer_sites), and journal
entries of those households or of its site's events. Events, issuer keys and revoked slips hold
no personal data and go to every device (WRONG_SITE needs the other sites' events).

The scope's digest covers what decides it (the site's events with their served lists, the
site's officers); /status carries it, so a desk notices a change even when no registry row
changed, and a snapshot asked with another digest is sent in full. Helpers never commit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, or_, select, union
from sqlmodel import SQLModel

from bekasi_field.domain.verdict_rule import fold_place
from bekasi_field.hub.officer_sites import officers_of_site

# Registry tables every device gets whole (no personal data in them).
SHARED_TABLES = ("events", "issuer_keys", "revoked_slips")
# Tables whose deleted keys would name other sites' people (NIKs, household ids): a delta
# that has such deletions since the device's version is sent in full instead.
PERSONAL_TABLES = ("households", "members", "person_entitlements")


def _t(name: str) -> Any:
    return SQLModel.metadata.tables[name]


@dataclass(frozen=True)
class SiteScope:
    site: str
    events: tuple[str, ...]  # events held at the site
    kelurahan: tuple[str, ...]  # households.kelurahan values its events serve (as stored)
    officers: tuple[str, ...]
    digest: str

    def households(self) -> Select[Any]:
        """A subquery of the ids of every household in scope."""
        h, en, pe = _t("households"), _t("entitlements"), _t("person_entitlements")
        return union(
            select(h.c.id).where(h.c.kelurahan.in_(self.kelurahan)),
            select(en.c.household_id).where(en.c.event_id.in_(self.events)),
            select(pe.c.household_id).where(pe.c.event_id.in_(self.events)),
        )  # type: ignore[return-value]

    def households_entitled_since(self, base: int) -> Select[Any]:
        """Households that an entitlement at the site's events, new or changed since `base`,
        brings into scope (their own rows may be older than `base`)."""
        en, pe = _t("entitlements"), _t("person_entitlements")
        return union(
            select(en.c.household_id).where(en.c.event_id.in_(self.events), en.c.version > base),
            select(pe.c.household_id).where(pe.c.event_id.in_(self.events), pe.c.version > base),
        )  # type: ignore[return-value]

    def journal_filter(self, journal: Any) -> Any:
        """Where-clause for hub_journal rows this device may pull."""
        return or_(journal.c.household_id.in_(self.households()),
                   journal.c.event_id.in_(self.events))


def _digest_facts(conn: Connection, site: str) -> tuple[list[tuple[str, str]], list[str]]:
    ev = _t("events")
    events = sorted((str(i), str(s or "[]")) for i, s in conn.execute(
        select(ev.c.id, ev.c.served_kelurahan).where(ev.c.site_kelurahan == site)))
    return events, sorted(officers_of_site(conn, site))


def scope_digest(conn: Connection, site: str) -> str:
    """Cheap (two small queries): /status sends it with every answer."""
    events, officers = _digest_facts(conn, site)
    raw = json.dumps([site, events, officers], separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def site_scope(conn: Connection, site: str) -> SiteScope:
    events, officers = _digest_facts(conn, site)
    served = {fold_place(site)} if site else set()
    for _, names in events:
        try:
            listed = json.loads(names)
        except ValueError:
            listed = []
        served |= {fold_place(str(n)) for n in listed if isinstance(n, str)}
    h = _t("households")
    kelurahan = tuple(sorted(k for k in conn.execute(select(h.c.kelurahan).distinct()).scalars()
                             if k is not None and fold_place(k) in served))
    raw = json.dumps([site, events, officers], separators=(",", ":"), ensure_ascii=False)
    return SiteScope(site=site, events=tuple(e for e, _ in events), kelurahan=kelurahan,
                     officers=tuple(officers),
                     digest=hashlib.sha256(raw.encode()).hexdigest()[:32])


def table_filter(scope: SiteScope, name: str, table: Any, *, base: int) -> Any | None:
    """Where-clause for the rows of registry table `name` the device gets (None: all)."""
    if name in SHARED_TABLES:
        return None
    if name == "officers":
        mine = table.c.id.in_(scope.officers)
        return mine & (table.c.version > base) if base else mine
    in_scope = scope.households()
    if name == "households":
        clause = table.c.id.in_(in_scope)
        if base:
            return or_(table.c.id.in_(scope.households_entitled_since(base)),
                       clause & (table.c.version > base))
        return clause
    # members, entitlements, person_entitlements: by their household
    clause = table.c.household_id.in_(in_scope)
    if base and name == "members":
        return or_(table.c.household_id.in_(scope.households_entitled_since(base)),
                   clause & (table.c.version > base))
    return clause & (table.c.version > base) if base else clause
