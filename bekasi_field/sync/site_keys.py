"""The public keys of the desks of this site, learned from the hub at every sync, so that a desk
verifies another desk's receipts offline later (services/receipts.py).

The hub is the authority on which device holds which key (it registered them at enrolment);
journal pages bring the keys of devices whose entries they carry, this brings the rest of the
site's desks, including one enrolled this morning that has recorded nothing yet. A write happens
only when a key is new, so a desk syncing every few seconds does not write every time.
"""

from __future__ import annotations

import logging

from bekasi_field.store.db import Database
from bekasi_field.sync import device_journal as dj
from bekasi_field.sync.client import HubClient

log = logging.getLogger(__name__)


def refresh_site_keys(db: Database, client: HubClient) -> int:
    """Fetch and keep the site's desks' public keys; returns how many were new or changed."""
    keys = client.site_device_keys()
    conn = db.raw()
    try:
        known = dict(conn.execute("SELECT id, public_key FROM devices").fetchall())
    finally:
        conn.close()
    fresh = {d: k for d, k in keys.items() if known.get(d) != k}
    if fresh:
        with db.transaction() as tx:
            dj.remember_device_keys(tx, fresh)
        log.info("learned %d desk key(s) of this site", len(fresh))
    return len(fresh)
