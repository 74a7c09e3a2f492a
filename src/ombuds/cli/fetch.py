"""``ombuds fetch``: keep the corpus current from the Ombudsman's published decision pages."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import typer
from rich.console import Console
from rich.markup import escape

from ombuds import __version__
from ombuds.cli.options import DbOption, resolve_db
from ombuds.corpus.ingest import ingest
from ombuds.corpus.store import Store, StoreError, open_store
from ombuds.corpus.url import display_url
from ombuds.domain.record import DecisionRecord
from ombuds.importer.client import PoliteClient
from ombuds.importer.journal import Journal, JournalError, RawStore
from ombuds.importer.politeness import RateLimiter, RetryPolicy
from ombuds.importer.run import FetchPlan, FetchSummary, Importer, Ingest
from ombuds.importer.site import SiteError, load_site
from ombuds.reading import Parsed, ParseError, parse_html
from ombuds.reading.html import html_to_text

CONTACT_ENV = "OMBUDS_CONTACT"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_POLITE_MINIMUM = 1.0


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise typer.BadParameter(
            f"{value!r} is not a date: use YYYY-MM-DD (e.g. 2024-03-31)", param_hint=option
        ) from exc


def _check_base_url(base_url: str, delay: float) -> None:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise typer.BadParameter(
            f"{base_url!r} is not a web address: give e.g. https://www.lgo.org.uk",
            param_hint="'--base-url'",
        )
    if delay < _POLITE_MINIMUM and parts.hostname not in _LOOPBACK:
        raise typer.BadParameter(
            f"{delay:g}s between requests is too fast for {parts.hostname}: use at least "
            f"{_POLITE_MINIMUM:g}s (shorter delays are only for a local test server)",
            param_hint="'--delay'",
        )


def _default_raw_dir(db_url: str) -> Path:
    """Next to a SQLite database file: ``ombuds.db`` -> ``ombuds-raw/``."""
    prefix = "sqlite:///"
    if not db_url.startswith(prefix) or db_url == prefix + ":memory:":
        raise typer.BadParameter(
            f"the database {db_url} is not a file, so there is nowhere 'next to it' for the "
            "raw pages: give --raw-dir DIR",
            param_hint="'--raw-dir'",
        )
    db_path = Path(db_url[len(prefix) :])
    return db_path.with_name(f"{db_path.stem}-raw")


def _corpus_sink(store: Store) -> Ingest:
    """Store one page through the corpus's own ingest (one transaction per decision)."""

    def store_one(record: DecisionRecord, html: str) -> str | None:
        page = Parsed(record=record, text=html_to_text(html), raw=html)
        report = ingest(store, [page], batch_size=1)
        return report.rejections[0].reason if report.rejections else None

    return store_one


def fetch_command(
    since: Annotated[
        str, typer.Option("--since", help="Import decisions dated on or after (YYYY-MM-DD).")
    ],
    until: Annotated[
        str | None,
        typer.Option("--until", help="... and on or before this date (default: today)."),
    ] = None,
    db: DbOption = "",
    raw_dir: Annotated[
        Path | None,
        typer.Option(
            "--raw-dir",
            help="Where the raw HTML of every decision page and the resume journal are kept "
            "(default: next to the database, e.g. ombuds-raw/ beside ombuds.db).",
        ),
    ] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="The site (default: www.lgo.org.uk).")
    ] = None,
    delay: Annotated[
        float, typer.Option("--delay", help="Seconds between requests (at least 1 for the site).")
    ] = 1.0,
    timeout: Annotated[
        float,
        typer.Option("--timeout", help="Seconds a page may take in all (connect and download)."),
    ] = 30.0,
    attempts: Annotated[
        int, typer.Option("--attempts", help="Tries per page on timeouts, 429 and 5xx.")
    ] = 5,
    backoff: Annotated[
        float, typer.Option("--backoff", help="First retry wait in seconds; doubles each time.")
    ] = 2.0,
    limit: Annotated[
        int | None,
        typer.Option("--limit", help="Stop after fetching this many decision pages."),
    ] = None,
    max_listing_pages: Annotated[
        int, typer.Option("--max-listing-pages", help="Safety cap on results pages walked.")
    ] = 10_000,
    contact: Annotated[
        str | None,
        typer.Option(
            "--contact",
            envvar=CONTACT_ENV,
            show_envvar=True,
            help="URL or e-mail for the site's operators to reach you (sent in User-Agent).",
        ),
    ] = None,
) -> None:
    """Fetch new decision pages politely, keep their HTML, and ingest them into the corpus.

    Resumable: run the same command again after an interruption and it carries on without
    fetching again any page it already has. Exit status 1 if any page failed.
    """
    out = Console(soft_wrap=True)  # addresses and paths stay whole, on one line
    err = Console(stderr=True, soft_wrap=True)
    try:
        site = load_site()
    except SiteError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from exc
    start = _date(since, "'--since'")
    end = _date(until, "'--until'") if until else date.today()
    base = (base_url or site.base_url).rstrip("/")
    _check_base_url(base, delay)
    db_url = resolve_db(db or None)
    raw_root = raw_dir if raw_dir is not None else _default_raw_dir(db_url)
    try:
        plan = FetchPlan(
            since=start,
            until=end,
            base_url=base,
            limit=limit,
            max_listing_pages=max_listing_pages,
        )
        policy = RetryPolicy(attempts=attempts, base=backoff, cap=max(60.0, backoff))
        limiter = RateLimiter(delay)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc

    try:
        journal = Journal.open(raw_root)
        store = open_store(db_url)
    except (JournalError, StoreError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from exc
    summary = FetchSummary()
    user_agent = site.user_agent_for(__version__, contact)

    def say(message: str) -> None:
        err.print(escape(message), style="dim" if not message.startswith("FAILED") else "red")

    client = PoliteClient(
        user_agent=user_agent,
        limiter=limiter,
        policy=policy,
        timeout=timeout,
        on_retry=say,
        site_url=base,
    )
    importer = Importer(
        site=site,
        client=client,
        raw=RawStore(raw_root),
        journal=journal,
        parse=parse_html,
        parse_errors=(ParseError,),
        ingest=_corpus_sink(store),
        sink=display_url(db_url),  # recorded in the journal: never a password
        report=say,
    )
    err.print(
        escape(f"fetching decisions dated {start} to {end} from {base} as {user_agent!r}"),
        style="dim",
    )
    try:
        importer.run(plan, summary)
    except KeyboardInterrupt:
        _print_summary(summary, raw_root, out)
        err.print("interrupted: run the same command again to carry on where this stopped")
        raise typer.Exit(130) from None
    finally:
        client.close()
        store.close()
    _print_summary(summary, raw_root, out)
    if not summary.ok:
        raise typer.Exit(1)


def _print_summary(summary: FetchSummary, raw_root: Path, out: Console) -> None:
    out.print(
        f"listed {summary.listed}, fetched {summary.fetched}, "
        f"skipped-already-had {summary.already_had}, ingested {summary.ingested}, "
        f"failed {summary.failed}"
    )
    if summary.out_of_range:
        out.print(f"left out {summary.out_of_range} listed decision(s) dated outside the range")
    if summary.stopped_by_limit:
        out.print("stopped at --limit: run again to continue")
    elif not summary.walk_complete:
        out.print("the results listing was not walked to the end: run again to continue")
    for failure in summary.failures:
        out.print(escape(f"failed ({failure.stage}): {failure.url}: {failure.reason}"))
    out.print(escape(f"raw pages and resume journal: {raw_root}"), style="dim")


def register(app: typer.Typer) -> None:
    app.command("fetch")(fetch_command)
