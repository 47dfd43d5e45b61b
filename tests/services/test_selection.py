"""Selection of an enrolment event: ages from NIK dates at the edges, women's +40, residents,
occupations, quota ties by a reproducible draw, counts per rule and the CSV of who and why."""

from __future__ import annotations

import csv
import datetime as dt
import json

from enrolment_world import START, Home, Person, boundary_homes, seed
from sqlalchemy import text

from bekasi_field.domain import selection_rules as rules
from bekasi_field.services import events
from bekasi_field.services.site import Site


def _event(site: Site, **params: object) -> events.EventCreated:
    return events.create_event(
        site.db.engine, programme="BPJSTK", kind="enrolment", site_kelurahan="Kota Baru",
        served_kelurahan=["Kota Baru", "Kranji"], start_date=START, end_date=START,
        params=params)


def _selected(site: Site, event_id: str) -> list[str]:
    with site.db.engine.connect() as conn:
        return list(conn.execute(text("SELECT nik FROM person_entitlements WHERE event_id = :e "
                                      "ORDER BY rank"), {"e": event_id}).scalars())


def test_boundaries_residence_and_occupations(site: Site) -> None:
    people = seed(site.db.engine, boundary_homes())
    created = _event(site)
    counts = created.selection.counts
    chosen = set(_selected(site, created.event_id))
    assert people["just15"].nik in chosen  # 15 on the start date
    assert people["almost15"].nik not in chosen  # turns 15 the day after
    assert people["woman60"].nik in chosen  # day + 40 read as a woman born 2 Jul 1965: 60
    assert people["woman61"].nik not in chosen  # born 1 Jul 1965: 61 on the start date
    assert people["outsider"].nik not in chosen
    assert counts == {**counts, "considered": 10, "age_out_of_range": 2, "not_resident": 1,
                      "formal_worker": 1, "not_working": 1, "household_not_active": 1,
                      "eligible": 4, "selected": 4, "over_quota": 0}
    assert created.entitlements == 4


def test_priority_desil_then_occupation_then_age(site: Site) -> None:
    people = seed(site.db.engine, boundary_homes())
    created = _event(site, quota=2)
    order = _selected(site, created.event_id)
    # desil 1: the ojek online driver (just15) before the casual worker (occupation order);
    # woman60 (desil 1, PKL) sits between them; vendor is desil 3 and over the quota.
    assert order == [people["just15"].nik, people["woman60"].nik]
    ranked = [j.candidate.nik for j in created.selection.judged if j.rank]
    assert ranked == [people[k].nik for k in ("just15", "woman60", "casual", "vendor")]
    assert created.selection.counts["over_quota"] == 2

    # the second event's cover overlaps the first: its two selected are left out
    again = _event(site, quota=4)
    assert again.selection.counts["selected_elsewhere"] == 2
    assert _selected(site, again.event_id) == [people["casual"].nik, people["vendor"].nik]
    # a cover starting after the first one ends: everyone is back, ranked oldest first
    by_age = _event(site, quota=4, priority="age", cover_start="2027-07-01")
    assert by_age.selection.counts["selected_elsewhere"] == 0
    assert _selected(site, by_age.event_id)[0] == people["woman60"].nik
    young = _event(site, quota=1, priority="age_young", cover_start="2028-07-01")
    assert _selected(site, young.event_id) == [people["just15"].nik]


def test_quota_ties_are_settled_by_a_reproducible_draw(tmp_path) -> None:
    twins = [Home(f"T{i:02d}", [Person(f"t{i}", dt.date(1980, 1, 1))]) for i in range(6)]
    picks = []
    for run in range(2):
        s = Site.open(tmp_path / f"home{run}")
        try:
            seed(s.db.engine, [Home(h.id, [Person(p.key, p.born) for p in h.people])
                               for h in twins])
            created = events.create_event(
                s.db.engine, programme="BPJSTK", kind="enrolment", site_kelurahan="Kota Baru",
                served_kelurahan=["Kota Baru"], start_date=START, end_date=START,
                params={"quota": 3}, event_id="BPJSTK-TIE")
            picks.append(_selected(s, created.event_id))
            assert created.selection.counts["tie_at_quota"] == 6
            tie = [j.why() for j in created.selection.judged if j.tie_at_quota]
            assert len(tie) == 6 and all("draw" in w for w in tie)
        finally:
            s.close()
    assert picks[0] == picks[1] and len(picks[0]) == 3
    # the draw decides: the three with the lowest blake2b(event, NIK)
    scratch = Site.open(tmp_path / "scratch")
    try:
        all_niks = [p.nik for p in seed(scratch.db.engine, twins).values()]
    finally:
        scratch.close()
    assert picks[0] == sorted(all_niks, key=lambda n: rules.draw_key("BPJSTK-TIE", n))[:3]


def test_cli_json_counts_and_explanation_csv(site: Site, cli, tmp_path) -> None:
    people = seed(site.db.engine, boundary_homes())
    site.close()
    out = tmp_path / "seleksi.csv"
    r = cli("event", "create", "--programme", "BPJSTK", "--kind", "enrolment", "--site",
            "Kota Baru", "--serves", "Kota Baru,Kranji", "--start", START.isoformat(),
            "--quota", "3", "--priority", "desil,occupation,age", "--explain", out, "--json")
    assert r.code == 0, r.err
    doc = r.json
    assert doc["kind"] == "enrolment" and doc["entitlements"] == 3
    assert doc["selection"]["counts"]["selected"] == 3
    assert doc["selection"]["counts"]["age_out_of_range"] == 2
    assert doc["selection"]["priority"] == ["desil", "occupation", "age"]
    assert doc["params"]["cover_end"] == "2027-06-30"
    assert doc["params"]["budget"] == 3 * 201_000
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 10
    assert [r["selected"] for r in rows[:4]] == ["Y", "Y", "Y", ""]
    woman61 = next(r for r in rows if r["name"] == people["woman61"].name)
    assert woman61["rule"] == "age_out_of_range" and woman61["age"] == "61"
    text_all = out.read_text(encoding="utf-8-sig")
    assert all(p.nik not in text_all for p in people.values())  # NIKs masked in the file
    bad = cli("event", "create", "--programme", "BPJSTK", "--kind", "enrolment", "--site",
              "Kota Baru", "--start", START.isoformat(), "--priority", "shoe size")
    assert bad.code == 3 and "shoe size" in bad.err
    wrong = cli("event", "create", "--programme", "KKS", "--kind", "enrolment", "--site",
                "Kota Baru", "--start", START.isoformat())
    assert wrong.code == 3 and "BPJSTK" in wrong.err
    listed = cli("event", "list", "--json").json["events"]
    assert json.dumps(listed) and listed[0]["kind"] == "enrolment"
