"""The desk's data key (store.datakey) as the GUI may use it: the passphrase dialogs and the
self-check reach the key store through services/, like every other part of the desk."""

from bekasi_field.store.datakey import (
    MIN_PASSPHRASE,
    DataKey,
    PassphraseNeeded,
    WrongPassphrase,
    ephemeral,
    has_passphrase,
    set_passphrase,
)

__all__ = ["MIN_PASSPHRASE", "DataKey", "PassphraseNeeded", "WrongPassphrase", "ephemeral",
           "has_passphrase", "set_passphrase"]
