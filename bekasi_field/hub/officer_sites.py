"""Officers' sites at the hub: who may act at which site (and so who a desk learns about).

An officer with no site serves none: a desk neither receives them nor may record in their
name. Helpers never commit, like hub/crud.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from bekasi_field.hub.models import HubOfficerSite

_T = HubOfficerSite.__table__


def sites_of(conn: Connection, officer_ids: Iterable[str]) -> dict[str, set[str]]:
    ids = sorted(set(officer_ids))
    out: dict[str, set[str]] = {i: set() for i in ids}
    for i in range(0, len(ids), 500):
        for officer, site in conn.execute(select(_T.c.officer_id, _T.c.site_kelurahan).where(
                _T.c.officer_id.in_(ids[i:i + 500]))):
            out[officer].add(site)
    return out


def officers_of_site(conn: Connection, site: str) -> set[str]:
    return set(conn.execute(select(_T.c.officer_id).where(_T.c.site_kelurahan == site))
               .scalars())


def assign_officer(conn: Connection, *, officer_id: str, site: str) -> bool:
    """Let the officer act at `site`; False when that was so already."""
    have = conn.execute(select(_T.c.officer_id).where(
        _T.c.officer_id == officer_id, _T.c.site_kelurahan == site)).first()
    if have:
        return False
    conn.execute(_T.insert().values(officer_id=officer_id, site_kelurahan=site))
    return True


def unassign_officer(conn: Connection, *, officer_id: str, site: str) -> bool:
    return conn.execute(_T.delete().where(_T.c.officer_id == officer_id,
                                          _T.c.site_kelurahan == site)).rowcount > 0
