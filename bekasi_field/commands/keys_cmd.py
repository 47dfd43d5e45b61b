"""`bekasi-field keys init|list`: issuer keys that sign invitation slips."""

from __future__ import annotations

import argparse

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.i18n import tr
from bekasi_field.services import keys


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "keys", common, "issuer keys for signed slips")
    verbs = p.add_subparsers(dest="keys_verb", required=True)
    init = add_verb(verbs, "init", common, "make a new issuer key pair and register its public key")
    init.add_argument("--valid-days", type=int, default=keys.DEFAULT_VALID_DAYS)
    init.set_defaults(handler=_init)
    ls = add_verb(verbs, "list", common, "list the registered public keys")
    ls.set_defaults(handler=_list)
    rv = add_verb(verbs, "revoke", common, "revoke an issuer key (its slips are refused)")
    rv.add_argument("key_id")
    rv.set_defaults(handler=_revoke)


def _init(args: argparse.Namespace) -> int:
    with open_site(args) as site:
        info = keys.generate_issuer_key(keys_dir=site.layout.keys_dir, valid_days=args.valid_days,
                                        seal_key=site.secrets_key)
        keys.register_public_key(site.db.engine, info)
    emit(args, {"key_id": info.key_id, "public_key": info.public_hex,
                "valid_from": info.valid_from.isoformat(), "valid_to": info.valid_to.isoformat(),
                "private_path": str(info.private_path)},
         tr("keys.created", key_id=info.key_id, valid_from=info.valid_from,
            valid_to=info.valid_to, path=info.private_path))
    return 0


def _list(args: argparse.Namespace) -> int:
    with open_site(args) as site:
        rows = keys.list_issuer_keys(site.db.engine)
    emit(args, {"keys": [{"key_id": k.key_id, "public_key": k.public_hex,
                          "valid_from": k.valid_from.isoformat(),
                          "valid_to": k.valid_to.isoformat(), "revoked": k.revoked}
                         for k in rows]},
         "\n".join(f"{k.key_id}  {k.valid_from} .. {k.valid_to}"
                   + ("  (dicabut)" if k.revoked else "") for k in rows) or tr("keys.none"))
    return 0


def _revoke(args: argparse.Namespace) -> int:
    with open_site(args, create=False) as site:
        keys.revoke_key(site.db.engine, args.key_id)
    emit(args, {"key_id": args.key_id, "revoked": True},
         tr("keys.revoked", key_id=args.key_id))
    return 0
