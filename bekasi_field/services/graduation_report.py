"""`report graduation`: PKH graduations against a target, per kelurahan and per pendamping.

The target is the event's (`event create --kind graduation --target 4618`) or given. Each
kelurahan's share of it follows its PKH households in the registry; each pendamping's is the
target over the pendamping known here (the city has 128). Voided graduations do not count.
Plain SQL through SQLAlchemy Core: the same on a desk (journal) and at the hub (hub_journal).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import Engine, text

from bekasi_field.domain.identifiers import mask
from bekasi_field.i18n import tr
from bekasi_field.reports.kind_model import GraduationData, GraduationRow, Progress
from bekasi_field.reports.rupiah import format_date_id, local_date, thousands
from bekasi_field.reports.summary_pdf import SummaryDoc, SummaryTable, write_summary
from bekasi_field.services.graduation import reason_label
from bekasi_field.services.selection import journal_table


def gather(engine: Engine, *, event_id: str | None = None,
           target: int | None = None) -> GraduationData:
    import json

    with engine.connect() as conn:
        j = journal_table(conn)
        where = "AND j.event_id = :e" if event_id else ""
        rows = conn.execute(text(
            f"SELECT j.household_id, j.recipient_name, j.recipient_nik, h.kelurahan, "
            f"h.kecamatan, j.reason, j.details, j.officer_id, o.name, j.created_at, j.event_id "
            f"FROM {j} j LEFT JOIN households h ON h.id = j.household_id "
            f"LEFT JOIN officers o ON o.id = j.officer_id WHERE j.kind = 'graduation' {where} "
            f"AND NOT EXISTS (SELECT 1 FROM {j} v WHERE v.kind = 'void' "
            f"AND v.voids_uuid = j.uuid) ORDER BY h.kelurahan, j.created_at"),
            {"e": event_id} if event_id else {}).all()
        events = conn.execute(text(
            "SELECT id, params FROM events WHERE kind = 'graduation'" +
            (" AND id = :e" if event_id else "")), {"e": event_id} if event_id else {}).all()
        pkh: dict[str, int] = dict(conn.execute(text(
            "SELECT kelurahan, count(*) FROM households WHERE "
            "(',' || programs || ',') LIKE '%,PKH,%' GROUP BY kelurahan")).all())
        pendamping: dict[str, str] = dict(conn.execute(text(
            "SELECT id, name FROM officers WHERE role = 'pendamping'")).all())
    if target is None:
        targets = [json.loads(p or "{}").get("target") for _, p in events]
        given = [int(t) for t in targets if t is not None]
        target = sum(given) if given else None
    out: list[GraduationRow] = []
    seen: set[str] = set()
    for hid, name, nik, kel, kec, reason, details, officer, oname, created, ev in rows:
        if hid in seen:  # graduated twice (two desks): counted once
            continue
        seen.add(hid)
        note = json.loads(details or "{}").get("note", "")
        out.append(GraduationRow(hid, name or "", mask(nik), kel or "", kec or "",
                                 reason or "", reason_label(reason or ""), note, officer,
                                 oname or officer, created, ev))
    total_pkh = sum(int(v) for v in pkh.values())
    done_kel = Counter(r.kelurahan for r in out)
    by_kel = [Progress(k, (target or 0) * int(pkh.get(k, 0)) / total_pkh if total_pkh else 0,
                       done_kel.get(k, 0))
              for k in sorted(set(pkh) | set(done_kel), key=str)]
    done_off = Counter(r.officer_id for r in out)
    share = (target or 0) / len(pendamping) if pendamping else 0
    names = {**pendamping, **{r.officer_id: r.officer_name for r in out}}
    by_off = [Progress(f"{names.get(o, o)} ({o})", share if o in pendamping else 0,
                       done_off.get(o, 0))
              for o in sorted(set(pendamping) | set(done_off))]
    return GraduationData(rows=out, target=target, by_kelurahan=by_kel, by_pendamping=by_off,
                          event_ids=[e for e, _ in events])


def _pct(p: Progress) -> str:
    return "-" if p.percent is None else f"{p.percent:.1f} %".replace(".", ",")


def _target(value: float) -> str:
    if not value:
        return "-"
    if abs(value - round(value)) < 0.05:
        return thousands(round(value))
    return f"{value:.1f}".replace(".", ",")


def summary_doc(data: GraduationData) -> SummaryDoc:
    n = len(data.rows)
    figures = [
        (tr("grad.rep.events"), ", ".join(data.event_ids) or "-"),
        (tr("grad.rep.target"), thousands(data.target) if data.target is not None else "-"),
        (tr("grad.rep.done"), thousands(n)),
        (tr("grad.rep.percent"), "-" if not data.target
         else f"{100 * n / data.target:.1f} %".replace(".", ",")),
    ]
    reasons = Counter(r.reason for r in data.rows)
    prog = [tr("grad.col.target"), tr("grad.col.done"), tr("grad.col.percent")]
    tables = [
        SummaryTable(tr("grad.rep.by_kelurahan"), [tr("enrol.col.kelurahan"), *prog],
                     [(p.name, _target(p.target), thousands(p.done), _pct(p))
                      for p in data.by_kelurahan]),
        SummaryTable(tr("grad.rep.by_pendamping"), [tr("grad.col.pendamping"), *prog],
                     [(p.name, _target(p.target), thousands(p.done), _pct(p))
                      for p in data.by_pendamping]),
        SummaryTable(tr("grad.rep.by_reason"), [tr("grad.col.reason"), tr("grad.col.done")],
                     [(reason_label(k), thousands(v)) for k, v in sorted(reasons.items())]),
        SummaryTable(tr("grad.rep.list"), [tr("enrol.col.no"), tr("grad.col.household"),
                                           tr("enrol.col.name"), tr("enrol.col.kelurahan"),
                                           tr("grad.col.reason"), tr("grad.col.date"),
                                           tr("grad.col.pendamping")],
                     [(i, r.household_id, r.recipient_name, r.kelurahan,
                       reason_label(r.reason), format_date_id(local_date(r.created_at)),
                       r.officer_id) for i, r in enumerate(data.rows, start=1)],
                     widths=(9, 24, 38, 24, 34, 26, 25)),
    ]
    return SummaryDoc(title=tr("grad.rep.title"), subtitle=tr("grad.rep.subtitle"),
                      figures=figures, tables=tables, note=tr("grad.rep.note"))


def write_reports(engine: Engine, *, out: Path, event_id: str | None = None,
                  target: int | None = None) -> tuple[GraduationData, Path, Path]:
    """PDF at `out` (or its .pdf twin) and the XLSX beside it."""
    from bekasi_field.reports.graduation_xlsx import write_graduation_xlsx

    data = gather(engine, event_id=event_id, target=target)
    out = Path(out)
    pdf, xlsx = out.with_suffix(".pdf"), out.with_suffix(".xlsx")
    write_summary(summary_doc(data), pdf)
    write_graduation_xlsx(data, xlsx)
    return data, pdf, xlsx
