"""Registry (administrators): roster upload with progress and per-row rejections, the report
CSV, and creating events of every kind the event service knows."""

from __future__ import annotations

import inspect
import logging
import secrets
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from bekasi_field.domain.errors import BekasiError
from bekasi_field.hub.console import audit
from bekasi_field.hub.console.routes_devices import known_sites
from bekasi_field.hub.console.web import CheckedDep, Ctx, CtxDep, Forbidden, page
from bekasi_field.hub.snapshots import restamp
from bekasi_field.services import events

log = logging.getLogger(__name__)
router = APIRouter()
SitesForm = Annotated[list[str] | None, Form()]  # a multiple <select>: absent when none
MAX_UPLOAD = 512 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx", ".txt")


def _kinds() -> list[str]:
    """Event kinds, when the event service takes a `kind` (handover, enrolment, ...)."""
    if "kind" not in inspect.signature(events.create_event).parameters:
        return []
    return list(getattr(events, "KINDS", ("handover",)))


def _render(ctx: Ctx, **values: Any) -> HTMLResponse:
    with ctx.store.read() as conn:
        sites = known_sites(conn)
    return page(ctx, "registry.html", sites=sites, programmes=events.PROGRAMMES,
                kinds=_kinds(), events=events.list_events(ctx.store.engine),
                error=values.pop("error", ""), created=values.pop("created", None), **values)


@router.get("/registry", response_class=HTMLResponse)
def registry(ctx: CtxDep) -> HTMLResponse:
    ctx.require_admin()
    return _render(ctx)


def _jobs(request: Request) -> dict[str, dict[str, Any]]:
    jobs: dict[str, dict[str, Any]] = request.app.state.console_jobs
    return jobs


def _run_import(ctx: Ctx, job: dict[str, Any], path: Path) -> None:
    from bekasi_field.services import roster

    def progress(done: int, total: int) -> None:
        job["done"], job["total"] = done, total

    try:
        result = roster.import_roster(ctx.store.engine, path, report_path=job["report"],
                                      progress=progress, writer_process=False)
        with ctx.store.write() as conn:
            version = restamp(ctx.store, conn, ("households", "members"))
            audit.record(conn, account_id=ctx.account.id, action="roster_imported",
                         detail={"read": result.read, "imported": result.imported,
                                 "rejected": result.rejected, "version": version}, ip=ctx.ip)
        job["result"] = result.as_json()
        job["rejections"] = [{"row": r.row, "column": r.column, "reason": r.reason}
                             for r in result.rejections[:200]]
        job["status"] = "done"
    except BekasiError as exc:
        job["status"], job["error"] = "failed", str(exc)
    except Exception:  # a programming error: logged whole, the page says it failed
        log.exception("roster import from the console failed")
        job["status"], job["error"] = "failed", ctx.t("console.import_failed")
    finally:
        path.unlink(missing_ok=True)  # the uploaded roster holds NIKs: not kept after import


@router.put("/registry/upload")
async def upload(ctx: CheckedDep, request: Request, name: str = "roster.csv") -> JSONResponse:
    """The roster file as the raw body (so the browser can show upload progress)."""
    ctx.require_admin()
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        return JSONResponse({"error": ctx.t("console.upload_type")}, status_code=422)
    d: Path = request.app.state.console_dir / "in"
    d.mkdir(parents=True, exist_ok=True)
    job_id = secrets.token_hex(8)
    path, size = d / f"{job_id}{suffix}", 0
    with path.open("wb") as fh:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_UPLOAD:
                fh.close()
                path.unlink(missing_ok=True)
                return JSONResponse({"error": ctx.t("console.upload_big")}, status_code=413)
            fh.write(chunk)
    job = {"id": job_id, "account": ctx.account.id, "status": "running", "done": 0,
           "total": 0, "result": None, "rejections": [], "error": "",
           "report": request.app.state.console_dir / "reports" / f"{job_id}.csv"}
    job["report"].parent.mkdir(parents=True, exist_ok=True)
    _jobs(request)[job_id] = job
    threading.Thread(target=_run_import, args=(ctx, job, path), daemon=True,
                     name=f"console-import-{job_id}").start()
    return JSONResponse({"job": job_id})


def _job(ctx: Ctx, job_id: str) -> dict[str, Any]:
    ctx.require_admin()
    job = _jobs(ctx.request).get(job_id)
    if job is None:
        raise Forbidden("console.unknown_job")
    return job


@router.get("/registry/jobs/{job_id}")
def job_state(ctx: CtxDep, job_id: str) -> JSONResponse:
    job = _job(ctx, job_id)
    return JSONResponse({k: v for k, v in job.items() if k != "report"},
                        headers={"Cache-Control": "no-store"})


@router.get("/registry/jobs/{job_id}/report.csv", response_model=None)
def job_report(ctx: CtxDep, job_id: str) -> Response:
    job = _job(ctx, job_id)
    if job["status"] != "done" or not Path(job["report"]).exists():
        raise Forbidden("console.unknown_job")
    with ctx.store.write() as conn:
        audit.record(conn, account_id=ctx.account.id, action="download_import_report",
                     detail={"job": job_id}, ip=ctx.ip)
    return FileResponse(job["report"], filename="laporan-impor.csv", media_type="text/csv",
                        headers={"Cache-Control": "no-store"})


@router.post("/registry/events", response_class=HTMLResponse)
def create_event(ctx: CheckedDep, programme: str = Form(...), site: str = Form(...),
                 serves: SitesForm = None, start: str = Form(...), end: str = Form(""),
                 item: str = Form(""), amount: str = Form(""), name: str = Form(""),
                 kind: str = Form(""), photo: str = Form(""), signature: str = Form(""),
                 no_proxy: str = Form(""), quota: str = Form(""),
                 id_check: Annotated[list[str] | None, Form()] = None) -> HTMLResponse:
    """`id_check`: the form sends "0" always and "1" when its box is ticked (an unticked box
    sends nothing); a post without the field keeps the KTP/KK check on, like the CLI."""
    ctx.require_admin()
    extra: dict[str, Any] = {"kind": kind} if kind and _kinds() else {}
    try:
        if quota.strip() and kind in ("enrolment", "graduation"):
            # an enrolment's quota of workers, a graduation's target of households
            extra["params"] = {"quota" if kind == "enrolment" else "target": int(quota)}
        amount_value = int(amount.replace(".", "")) if amount.strip() else None
        created = events.create_event(
            ctx.store.engine, programme=programme, site_kelurahan=site,
            served_kelurahan=serves or [site], start_date=start, end_date=end or start,
            item=item or None, amount=amount_value, name=name or None,
            require_photo=bool(photo), require_signature=bool(signature),
            allow_proxy=not no_proxy, id_check=id_check is None or "1" in id_check,
            **extra)
    except (BekasiError, ValueError) as exc:
        return _render(ctx, error=str(exc))
    with ctx.store.write() as conn:
        restamp(ctx.store, conn, ("events", "entitlements"))
        audit.record(conn, account_id=ctx.account.id, action="event_created",
                     detail={"event": created.event_id, "entitlements": created.entitlements},
                     ip=ctx.ip)
    return _render(ctx, created=created)
