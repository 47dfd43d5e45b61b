"""Child process of the crash test: records hand-overs in a loop and prints each uuid only
after record_handover has returned (i.e. after the durable COMMIT). The parent SIGKILLs it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bekasi_field.services import journal
from bekasi_field.services.site import Site
from bekasi_field.services.verdict_engine import VerdictEngine


def main() -> None:
    home, event_id, codes_file = sys.argv[1:4]
    codes = Path(codes_file).read_text(encoding="utf-8").split()
    site = Site.open(Path(home))
    engine = VerdictEngine(site.db)
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    for i, code in enumerate(codes):
        photo = os.urandom(4096) if i % 3 == 0 else None
        try:
            entry = journal.record_handover(site=site, event_id=event_id, code=code,
                                            officer_id="P1", photo=photo, engine=engine)
        except journal.HandoverRefused:
            continue  # collected in an earlier round
        os.write(1, f"{entry.uuid}\n".encode())  # one write: a line is whole or absent
    sys.stdout.write("DONE\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
