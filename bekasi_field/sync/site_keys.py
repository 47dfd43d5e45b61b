"""The public keys of the desks of this site, learned from the hub at every sync, so that a desk
verifies another desk's receipts offline later (services/receipts.py).

The hub is the authority on which device holds which key (it registered them at enrolment);
journal pages bring the keys of devices whose entries they carry, this brings the rest of the
site's desks, including one enrolled this morning that has recorded nothing yet. A write happens
only when a key is new, so a desk syncing every few seconds does not write every time.
"""

from __future__ import annotations

import logging

from bekasi_field.store.db import Database, set_meta
from bekasi_field.sync import device_journal as dj
from bekasi_field.sync.client import HubClient, HubRejected

log = logging.getLogger(__name__)


def refresh_site_keys(db: Database, client: HubClient) -> int:
    """Fetch and keep the site's desks' public keys (and names); returns how many keys were new
    or changed."""
    keys, names = client.site_desks()
    conn = db.raw()
    try:
        known = dict(conn.execute("SELECT id, public_key FROM devices").fetchall())
        named = dict(conn.execute("SELECT id, name FROM devices WHERE is_self = 0").fetchall())
    finally:
        conn.close()
    fresh = {d: k for d, k in keys.items() if known.get(d) != k}
    renamed = {d: n for d, n in names.items() if d in keys and named.get(d, "") != n}
    if fresh or renamed:
        with db.transaction() as tx:
            if fresh:
                dj.remember_device_keys(tx, fresh)
            for device_id, name in renamed.items():  # never this desk's own row
                tx.execute("UPDATE devices SET name = ? WHERE id = ? AND is_self = 0",
                           (name[:40], device_id))
        log.info("learned %d desk key(s) and %d desk name(s) of this site", len(fresh),
                 len(renamed))
    return len(fresh)


def push_desk_name(db: Database, client: HubClient) -> None:
    """Tell the hub this desk's name when it changed since the last time told."""
    conn = db.raw()
    try:
        row = conn.execute("SELECT name FROM devices WHERE is_self = 1").fetchone()
    finally:
        conn.close()
    name = str(row[0] or "") if row else ""
    if name and name != (db.get_meta("hub_desk_name") or ""):
        try:
            client.set_device_name(name)
        except HubRejected as exc:  # a hub from before desk names: the sync goes on
            log.info("the hub did not take this desk's name (%s)", exc.status)
            return
        with db.transaction() as tx:
            set_meta(tx, "hub_desk_name", name)
