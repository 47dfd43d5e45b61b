"""`report enrolment`: the workers enrolled in one event, for a collective BPU registration.

One row per live (not voided) enrolment entry with what BPJS Ketenagakerjaan's collective
registration of Bukan Penerima Upah workers asks for; full NIKs, since matching them is the
point of this export. The PDF summary counts workers and premium against the budget. Plain SQL
through SQLAlchemy Core: the same on a desk (journal) and at the hub (hub_journal).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from bekasi_field.domain import enrolment_rules as er
from bekasi_field.domain import occupations as occ
from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.reports.kind_model import EnrolledRow, EnrolmentData
from bekasi_field.reports.rupiah import format_date_id, format_rupiah, local_date, thousands
from bekasi_field.reports.summary_pdf import SummaryDoc, SummaryTable, write_summary
from bekasi_field.services.events import get_event
from bekasi_field.services.selection import cover_of, journal_table


def gather(engine: Engine, event_id: str) -> EnrolmentData:
    event = get_event(engine, event_id)
    if event.kind != "enrolment":
        raise BekasiError(tr("enrol.not_enrolment_event", event=event_id))
    cover = cover_of(event.params, event.start_date)
    premium = event.amount if event.amount is not None else er.PREMIUM
    with engine.connect() as conn:
        j = journal_table(conn)
        rows = conn.execute(text(
            f"SELECT j.recipient_nik, j.recipient_name, j.details, j.officer_id, j.created_at, "
            f"j.override_by, m.birth_date, m.sex, h.kelurahan, h.kecamatan, "
            f"(SELECT 1 FROM person_entitlements p WHERE p.event_id = j.event_id "
            f"AND p.nik = j.recipient_nik) FROM {j} j "
            f"LEFT JOIN members m ON m.nik = j.recipient_nik "
            f"LEFT JOIN households h ON h.id = j.household_id "
            f"WHERE j.event_id = :e AND j.kind = 'enrolment' AND NOT EXISTS (SELECT 1 FROM {j} v "
            f"WHERE v.kind = 'void' AND v.voids_uuid = j.uuid) ORDER BY j.created_at, j.uuid"),
            {"e": event_id}).all()
        selected = int(conn.execute(text(
            "SELECT count(*) FROM person_entitlements WHERE event_id = :e"),
            {"e": event_id}).scalar_one())
    out: list[EnrolledRow] = []
    seen: set[str] = set()
    for nik, name, details, officer, created, override, born, sex, kel, kec, sel in rows:
        if nik in seen:  # enrolled twice (two desks offline): one registration, the conflict
            continue     # is the hub's to show
        seen.add(nik)
        d: dict[str, Any] = json.loads(details or "{}")
        heir = d.get("heir") or {}
        nik_born = er.birth_date(nik, None, on=event.start_date)
        registry_born = born if isinstance(born, dt.date) or born is None \
            else dt.date.fromisoformat(str(born)[:10])
        out.append(EnrolledRow(
            nik=nik, name=name or "", birth_place=d.get("birth_place") or "",
            birth_date=nik_born or registry_born, sex=sex or "", domicile=d.get("domicile", ""),
            kelurahan=kel or "", kecamatan=kec or "",
            phone=er.local_phone(d.get("phone", "")), email=d.get("email") or "",
            occupation=occ.LABELS.get(d.get("occupation", ""), d.get("occupation", "")),
            premium=premium, cover_start=cover.start, cover_end=cover.end,
            heir_name=heir.get("name", ""), heir_relationship=heir.get("relationship", ""),
            heir_nik=heir.get("nik") or "", officer_id=officer, enrolled_at=created,
            override_by=override, selected=bool(sel)))
    quota = event.params.get("quota")
    budget = event.params.get("budget")
    return EnrolmentData(event=event, rows=out, selected=selected,
                         quota=int(str(quota)) if quota is not None else None,
                         budget=int(str(budget)) if budget is not None else None,
                         premium=premium)


def summary_doc(data: EnrolmentData) -> SummaryDoc:
    ev, n = data.event, len(data.rows)
    cover = cover_of(ev.params, ev.start_date)
    figures = [
        (tr("enrol.rep.event"), f"{ev.name} ({ev.id})"),
        (tr("enrol.rep.programmes"), f"BPJS Ketenagakerjaan {er.PROGRAMMES}"),
        (tr("enrol.rep.cover"), f"{format_date_id(cover.start)} - {format_date_id(cover.end)}"),
        (tr("enrol.rep.quota"), thousands(data.quota) if data.quota is not None else "-"),
        (tr("enrol.rep.selected"), thousands(data.selected)),
        (tr("enrol.rep.enrolled"), thousands(n)),
        (tr("enrol.rep.premium_each"), format_rupiah(data.premium)),
        (tr("enrol.rep.premium_total"), format_rupiah(data.premium_total)),
        (tr("enrol.rep.budget"), format_rupiah(data.budget)),
    ]
    if data.budget:
        figures.append((tr("enrol.rep.budget_left"), format_rupiah(data.budget
                                                                   - data.premium_total)))
        figures.append((tr("enrol.rep.budget_used"),
                        f"{100 * data.premium_total / data.budget:.1f} %".replace(".", ",")))
    by_occ = Counter(r.occupation for r in data.rows)
    by_kel = Counter(r.kelurahan or "-" for r in data.rows)
    overrides = sum(1 for r in data.rows if r.override_by)
    tables = [
        SummaryTable(tr("enrol.rep.by_occupation"), [tr("enrol.col.occupation"),
                                                     tr("enrol.rep.workers"),
                                                     tr("enrol.rep.premium")],
                     [(k, thousands(v), format_rupiah(v * data.premium))
                      for k, v in sorted(by_occ.items(), key=lambda kv: (-kv[1], kv[0]))],
                     total=(tr("report.bast.totals"), thousands(n),
                            format_rupiah(data.premium_total))),
        SummaryTable(tr("enrol.rep.by_kelurahan"), [tr("enrol.col.kelurahan"),
                                                    tr("enrol.rep.workers")],
                     [(k, thousands(v)) for k, v in sorted(by_kel.items())]),
    ]
    note = tr("enrol.rep.note", overrides=overrides)
    return SummaryDoc(title=tr("enrol.rep.title"), subtitle=ev.site_kelurahan,
                      figures=figures, tables=tables, note=note)


def write_reports(engine: Engine, *, event_id: str, out: Path,
                  pdf: Path | None = None) -> tuple[EnrolmentData, Path, Path]:
    from bekasi_field.reports.enrolment_xlsx import write_enrolment_xlsx

    data = gather(engine, event_id)
    out = Path(out)
    pdf = Path(pdf) if pdf else out.with_suffix(".pdf")
    write_enrolment_xlsx(data, out)
    write_summary(summary_doc(data), pdf)
    return data, out, pdf


def enrolled_on(row: EnrolledRow) -> dt.date:
    return local_date(row.enrolled_at)
