"""The web app: server-rendered GOV.UK Frontend pages over the casework actions and the corpus.

Pages are an adapter like the CLI: they parse a request, call the same functions the API and
the command line call, and render a template. Every page works without JavaScript.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Add the pages to the casework service's app (``ombuds.server.app.create_app`` calls it)."""
    from ombuds.web.app import install_pages

    install_pages(app)
