"""Putting the web pages into an app: static files, the public routers, error pages.

``install_public_pages`` adds the register and analytics to any FastAPI app that keeps the
corpus ``Store`` in ``app.state.corpus`` (the casework service does); ``create_public_app``
makes an app with just those pages, for the register alone and its tests.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from ombuds.corpus.store import Store
from ombuds.web import analytics, register

STATIC = Path(__file__).resolve().parent / "static"


def install_public_pages(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(register.router)
    app.include_router(analytics.router)


def create_public_app(corpus: Store) -> FastAPI:
    app = FastAPI(title="ombuds decisions register", docs_url=None, redoc_url=None)
    app.state.corpus = corpus
    install_public_pages(app)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/decisions", status_code=303)

    return app
