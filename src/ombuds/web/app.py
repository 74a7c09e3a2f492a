"""Putting the web pages into an app: static files, routers, the sign-in redirect.

``install_pages`` adds every page to the casework service's app (``ombuds serve``), which keeps
the office (database, rulebook, workflow) in ``app.state.office``. ``create_public_app`` makes
an app with only the public register and analytics over a corpus, for the register alone.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from ombuds.corpus.store import Store
from ombuds.web import analytics, assessment, cases, register, session, statement
from ombuds.web.context import SignInRequired, sign_in_redirect_target

STATIC = Path(__file__).resolve().parent / "static"


def install_public_pages(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(register.router)
    app.include_router(analytics.router)


async def _to_sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    return RedirectResponse(sign_in_redirect_target(exc.next_path), status_code=303)


def install_pages(app: FastAPI) -> None:
    """Every page: sign-in, cases, assessment, statement and sign-off, register, analytics."""
    install_public_pages(app)
    app.include_router(session.router)
    app.include_router(cases.router)
    app.include_router(assessment.router)
    app.include_router(statement.router)
    app.add_exception_handler(SignInRequired, _to_sign_in)


def create_public_app(corpus: Store) -> FastAPI:
    app = FastAPI(title="ombuds decisions register", docs_url=None, redoc_url=None)
    app.state.corpus = corpus
    install_public_pages(app)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/decisions", status_code=303)

    return app
