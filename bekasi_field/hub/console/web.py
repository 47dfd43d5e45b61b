"""What every console page shares: templates (package data, read with importlib.resources),
the logged-in account, the CSRF check, the language switch and the session cookie."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FunctionLoader, select_autoescape

from bekasi_field.domain.identifiers import mask
from bekasi_field.hub.console import CONSOLE_PATH, accounts
from bekasi_field.hub.console.accounts import Account
from bekasi_field.hub.store import HubStore
from bekasi_field.i18n import LANGUAGES, tr
from bekasi_field.reports.rupiah import format_time_id, thousands, to_wib

log = logging.getLogger(__name__)

SESSION_COOKIE = "bkf_console"
LANG_COOKIE = "bkf_lang"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


def _template_source(name: str) -> tuple[str, None, Any]:
    text = resources.files("bekasi_field.hub.console").joinpath("templates", name).read_text(
        encoding="utf-8")
    return text, None, lambda: True


_env = Environment(loader=FunctionLoader(_template_source),
                   autoescape=select_autoescape(default=True, default_for_string=True))
_env.filters["mask"] = lambda v: mask(v or "")
_env.filters["thousands"] = lambda v: thousands(int(v or 0))
_env.filters["wib"] = lambda v: (f"{to_wib(v):%Y-%m-%d} {format_time_id(v)} WIB" if v else "-")
_env.filters["pct"] = lambda v: f"{v:.1f}".replace(".", ",")


class LoginRequired(Exception):
    """Raised by a dependency: the handler redirects to the login page."""


class Forbidden(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Ctx:
    """One request of a logged-in user."""

    request: Request
    store: HubStore
    account: Account
    csrf: str
    lang: str

    @property
    def ip(self) -> str:
        return self.request.client.host if self.request.client else ""

    def t(self, key: str, **values: object) -> str:
        return tr(key, lang=self.lang, **values)

    def sites(self) -> set[str] | None:
        """Lower-case site names this account may see; None for all (an administrator)."""
        return None if self.account.is_admin else {s.lower() for s in self.account.sites}

    def require_admin(self) -> None:
        if not self.account.is_admin:
            raise Forbidden("console.admin_only")

    def require_site(self, site: str) -> None:
        if not self.account.may_see_site(site):
            raise Forbidden("console.not_your_site")


def lang_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "id")
    return lang if lang in LANGUAGES else "id"


def store_of(request: Request) -> HubStore:
    store: HubStore = request.app.state.store
    return store


def current(request: Request) -> Ctx:
    store = store_of(request)
    with store.read() as conn:
        found = accounts.session_account(conn, request.cookies.get(SESSION_COOKIE))
    if found is None:
        raise LoginRequired()
    account, csrf = found
    return Ctx(request=request, store=store, account=account, csrf=csrf, lang=lang_of(request))


CtxDep = Annotated[Ctx, Depends(current)]


async def checked(request: Request, ctx: CtxDep) -> Ctx:
    """A state-changing request: the session's CSRF token in the form or the header."""
    sent: object = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get(CSRF_FIELD)
    if not isinstance(sent, str) or not sent or not _same(sent, ctx.csrf):
        log.warning("console: request without a valid CSRF token refused (%s)", request.url.path)
        raise Forbidden("console.csrf_refused")
    return ctx


def _same(a: str, b: str) -> bool:
    import hmac
    return hmac.compare_digest(a.encode(), b.encode())


CheckedDep = Annotated[Ctx, Depends(checked)]


def render(request: Request, name: str, *, lang: str, status: int = 200,
           ctx: Ctx | None = None, **values: Any) -> HTMLResponse:
    notice = request.query_params.get("notice", "")
    html = _env.get_template(name).render(
        t=lambda key, **v: tr(key, lang=lang, **v), lang=lang, base=CONSOLE_PATH,
        request_notice=notice if notice.startswith("console.") else "",
        complaints_enabled=getattr(request.app.state, "console_complaints", False),
        ctx=ctx, account=ctx.account if ctx else None, csrf=ctx.csrf if ctx else "",
        path=request.url.path, **values)
    return HTMLResponse(html, status_code=status, headers=_no_store())


def page(ctx: Ctx, name: str, **values: Any) -> HTMLResponse:
    return render(ctx.request, name, lang=ctx.lang, ctx=ctx, **values)


def _no_store() -> dict[str, str]:
    # Pages hold personal data: never cached by the browser or a proxy; never framed.
    return {"Cache-Control": "no-store", "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def redirect(to: str, *, notice: str | None = None) -> RedirectResponse:
    url = CONSOLE_PATH + to
    if notice:
        url += ("&" if "?" in url else "?") + "notice=" + notice
    return RedirectResponse(url, status_code=303)


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path=CONSOLE_PATH,
                        max_age=accounts.SESSION_HOURS * 3600)
