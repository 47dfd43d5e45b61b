"""Property test: any sequence of hand-overs, refusals and voids keeps the journal's promises:
never two live hand-overs of one household in an event, the verdict agrees with the journal,
sequence numbers stay gapless and `journal verify` passes."""

from __future__ import annotations

import pytest
import small_site as h
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.verdicts import VerdictCode as V
from bekasi_field.services import journal
from bekasi_field.services.verdict_engine import VerdictEngine

LABELS = ["ok", "kranji", "second", "third", "far"]
KINDS = ["slip", "nik", "kk", "kks", "household"]

steps = st.lists(
    st.one_of(
        st.tuples(st.just("handover"), st.sampled_from(LABELS), st.sampled_from(KINDS),
                  st.booleans()),
        st.tuples(st.just("void"), st.integers(0, 30), st.just(""), st.just(False)),
    ),
    min_size=1, max_size=12)


@pytest.fixture(scope="module")
def shared_world(tmp_path_factory):
    from bekasi_field.services.site import Site

    site = Site.open(tmp_path_factory.mktemp("model") / "home")
    world = h.build_world(site)
    yield world
    site.close()


def _reset(site) -> None:
    conn = site.db.raw()
    try:
        conn.execute("DELETE FROM journal")
        conn.execute("DELETE FROM meta WHERE key = 'journal_head'")
    finally:
        conn.close()


def _code(world, label: str, kind: str) -> str:
    if kind == "slip":
        return world.slip(label)
    return {"nik": world.niks, "kk": world.kk, "kks": world.kks,
            "household": world.households}[kind][label]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps)
def test_any_sequence_keeps_the_journal_consistent(shared_world, ops) -> None:
    world, site = shared_world, shared_world.site
    _reset(site)
    engine = VerdictEngine(site.db)
    live: dict[str, str] = {}  # label -> uuid of its live hand-over (the model)
    handovers: list[tuple[str, str]] = []  # (uuid, label)
    try:
        for op, a, kind, override in ops:
            if op == "handover":
                expected_ok = a not in live and (a != "far" or override)
                try:
                    entry = journal.record_handover(
                        site=site, event_id=h.EVENT, code=_code(world, a, kind), officer_id="P1",
                        override_by="S1" if override else None, engine=engine)
                except journal.HandoverRefused as refused:
                    assert not expected_ok, refused.verdict
                    assert refused.verdict.code in (V.ALREADY_COLLECTED, V.WRONG_SITE)
                    continue
                assert expected_ok
                live[a] = entry.uuid
                handovers.append((entry.uuid, a))
            elif handovers:
                uuid, label = handovers[a % len(handovers)]
                try:
                    journal.void_entry(site=site, entry_uuid=uuid, supervisor_id="S1",
                                       reason="uji")
                except BekasiError:
                    assert live.get(label) != uuid  # only an already voided one is refused
                    continue
                assert live.pop(label) == uuid
        for label in LABELS:
            v = engine.check(world.households[label], event_id=h.EVENT)
            assert (v.code is V.ALREADY_COLLECTED) == (label in live), label
            if label in live:
                assert v.details["collected_uuid"] == live[label]
        check = journal.verify_journal(site.db)
        assert check.ok and check.first_bad is None
        conn = site.db.raw()
        try:
            seqs = [r[0] for r in conn.execute("SELECT seq FROM journal ORDER BY seq")]
        finally:
            conn.close()
        assert seqs == list(range(1, len(seqs) + 1))
    finally:
        engine.close()
