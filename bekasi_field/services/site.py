"""A site: one data directory with its database; what the CLI and the GUI both open."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Self

from bekasi_field.paths import HomeLayout
from bekasi_field.store import datakey, opener
from bekasi_field.store.datakey import DataKey
from bekasi_field.store.db import Database, open_database
from bekasi_field.store.db import integrity_problems as _file_problems

# meta: the plain evidence and issuer-key files of an earlier release are sealed
EVIDENCE_SEALED = "evidence_sealed"


@dataclass
class Site:
    layout: HomeLayout
    db: Database
    data_key: DataKey

    @classmethod
    def open(cls, home: Path, *, create: bool = True, full_check: bool = True,
             passphrase: str | None = None, data_key: DataKey | None = None) -> Self:
        """Open the site at `home`: its data key first (key store, else the passphrase; may
        raise datakey.PassphraseNeeded), then the encrypted database (converting a plain one
        of an earlier release). `data_key` given: a throw-away site (the self-test) whose key
        is in no key store and no key file."""
        layout = HomeLayout(Path(home))
        path = layout.database
        interrupted = path.with_name(path.name + ".plain-old").exists()
        if create:
            layout.ensure()
        elif not path.exists() and not interrupted:
            # Say "no data here" rather than "no key" when there is nothing at all.
            open_database(path, key=None, create=False)
        # A plain database of an earlier release gets its data key now, whatever the verb.
        first_key = create or interrupted or (path.exists() and opener.is_plain_sqlite(path))
        if data_key is None:
            data_key = datakey.open_data_key(layout.key_file, passphrase=passphrase,
                                             create=first_key)
        db = open_database(layout.database, key=data_key.subkey("sqlcipher"), create=create,
                           full_check=full_check)
        site = cls(layout=layout, db=db, data_key=data_key)
        if db.get_meta(EVIDENCE_SEALED) is None:
            from bekasi_field.services.evidence import encrypt_plain_evidence
            from bekasi_field.services.keys import seal_plain_keys
            from bekasi_field.store.db import set_meta
            encrypt_plain_evidence(site)
            if layout.keys_dir.is_dir():
                seal_plain_keys(layout.keys_dir, seal_key=site.secrets_key)
            with db.transaction() as conn:
                set_meta(conn, EVIDENCE_SEALED, "1")
        return site

    @property
    def secrets_key(self) -> bytes:
        """Seals the site's private keys at rest (issuer keys)."""
        return self.data_key.subkey("secrets")

    @property
    def device_id(self) -> str:
        return self.db.device_id

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def integrity_problems(site: Site) -> list[str]:
    """The whole-file integrity check of the site's database ([] when sound; reads it all)."""
    return _file_problems(site.db.file)
