"""Log in, log out, the language switch. The only console pages reachable without a session."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bekasi_field.hub.console import CONSOLE_PATH, accounts, audit
from bekasi_field.hub.console.web import (
    LANG_COOKIE,
    SESSION_COOKIE,
    CheckedDep,
    lang_of,
    redirect,
    render,
    set_session_cookie,
    store_of,
)
from bekasi_field.i18n import LANGUAGES

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return render(request, "login.html", lang=lang_of(request), error=None, account_id="")


@router.post("/login", response_model=None)
def login(request: Request, account_id: str = Form(""), password: str = Form("")) -> Response:
    store = store_of(request)
    ip = request.client.host if request.client else ""
    refused: accounts.LoginRefused | None = None
    with store.write() as conn:  # a failure is counted and audited: this commits either way
        try:
            account = accounts.login(conn, account_id=account_id, password=password)
            token, _csrf = accounts.open_session(conn, account)
            audit.record(conn, account_id=account.id, action="login", ip=ip)
        except accounts.LoginRefused as exc:
            refused = exc
            audit.record(conn, account_id=account_id.strip()[:64] or "-",
                         action="login_refused", ip=ip)
    if refused is not None:
        return render(request, "login.html", lang=lang_of(request), error=str(refused),
                      account_id=account_id, status=401)
    response = redirect("/")
    set_session_cookie(request, response, token)
    return response


@router.post("/logout")
def logout(ctx: CheckedDep) -> RedirectResponse:
    with ctx.store.write() as conn:
        accounts.close_session(conn, ctx.request.cookies.get(SESSION_COOKIE))
        audit.record(conn, account_id=ctx.account.id, action="logout", ip=ctx.ip)
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path=CONSOLE_PATH)
    return response


@router.get("/lang/{lang}")
def switch_language(request: Request, lang: str, back: str = "/") -> RedirectResponse:
    # Only a path inside the console: never an open redirect to another site.
    target = back if back.startswith(CONSOLE_PATH + "/") or back == CONSOLE_PATH else CONSOLE_PATH
    response = RedirectResponse(target, status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, samesite="strict", path=CONSOLE_PATH,
                            secure=request.url.scheme == "https", max_age=365 * 86400)
    return response
