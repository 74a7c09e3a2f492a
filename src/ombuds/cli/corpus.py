"""``ombuds ingest``, ``search``, ``stats`` and ``reindex``: the corpus from the command line."""

from __future__ import annotations

import difflib
import json
import re
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from ombuds.cli.options import DbOption, IndexOption, resolve_db, resolve_index
from ombuds.corpus.criteria import FilterError, check_filter
from ombuds.corpus.index import SearchIndexError
from ombuds.corpus.ingest import (
    DEFAULT_BATCH,
    FailedSource,
    IngestInterrupted,
    IngestReport,
    ParsedDecision,
    ingest,
)
from ombuds.corpus.search import (
    FACETS,
    MARK_END,
    MARK_START,
    SearchFilters,
    SearchResult,
    search,
)
from ombuds.corpus.stats import CorpusStats, corpus_stats
from ombuds.corpus.store import Store, StoreError, open_store
from ombuds.corpus.sync import Rebuilt, reindex
from ombuds.corpus.url import DEFAULT_DB
from ombuds.limits import MAX_QUERY_CHARS

_DATE_FORMS = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "day"),
    (re.compile(r"\d{4}-\d{2}"), "month"),
    (re.compile(r"\d{4}"), "year"),
)


def parse_date_bound(value: str | None, *, end: bool, option: str) -> date | None:
    """YYYY-MM-DD, YYYY-MM or YYYY; a month or year runs to its last day when ``end``."""
    if value is None:
        return None
    text = value.strip()
    for pattern, form in _DATE_FORMS:
        if pattern.fullmatch(text):
            try:
                if form == "day":
                    return date.fromisoformat(text)
                year = int(text[:4])
                if form == "month":
                    month = int(text[5:7])
                    if not end:
                        return date(year, month, 1)
                    following = date(year + month // 12, month % 12 + 1, 1)
                    return date.fromordinal(following.toordinal() - 1)
                return date(year, 12, 31) if end else date(year, 1, 1)
            except ValueError:
                break
    raise typer.BadParameter(
        f"{value!r} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2024-03-31)",
        param_hint=f"'{option}'",
    )


def _open(db: str | None, err: Console, index: str | None = None) -> Store:
    url = resolve_db(db)
    folder = resolve_index(url, index)
    try:
        return open_store(url, index=folder)
    except StoreError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from exc


def _fail(err: Console, exc: Exception) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(str(exc))}")
    return typer.Exit(1)


def _note_rebuild(rebuilt: Rebuilt | None, store: Store, err: Console, seconds: float) -> None:
    if rebuilt is not None:
        if store.index.temporary:
            note = (
                f"search index {store.index.home} cannot be written or locked from here "
                "(read-only): searched a temporary index built from the database"
            )
        else:
            note = f"search index {rebuilt.reason}: rebuilt {store.index.path} from the database"
        err.print(
            f"{note} ({rebuilt.decisions} decisions, {seconds:.1f}s)",
            style="dim",
            markup=False,
        )


def check_test_id(value: str | None) -> str | None:
    """An Assessment Code test id, or a usage error listing the near misses."""
    if value is None:
        return None
    from ombuds.rulebook import load_rulebook

    known = load_rulebook().by_id
    wanted = value.strip()
    if wanted in known:
        return wanted
    close = difflib.get_close_matches(wanted, list(known), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise typer.BadParameter(
        f"{value!r} is not a test id of the Assessment Code; {hint}"
        "`ombuds rulebook show` lists all of them",
        param_hint="'--test'",
    )


def _read(paths: Sequence[str], workers: int) -> Iterator[ParsedDecision | FailedSource]:
    from ombuds.reading import iter_records

    yield from iter_records(list(paths), workers=workers)


def _workers(requested: int) -> int:
    from ombuds.reading.parallel import available_cores

    return requested or available_cores()


def _check_paths(paths: Sequence[str]) -> None:
    missing = [path for path in paths if path != "-" and not Path(path).exists()]
    if missing:
        raise typer.BadParameter(
            f"no such file or folder: {', '.join(missing)}", param_hint="'PATH...'"
        )


def ingest_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Decision files (.txt, .html, .jsonl), folders of them, or - for stdin.",
            metavar="PATH...",
        ),
    ],
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Decisions per transaction.")
    ] = DEFAULT_BATCH,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=0,
            help="Processes parsing in parallel (0: one per core; 1: parse in this process). "
            "Storing always happens in this one process.",
        ),
    ] = 0,
) -> None:
    """Store parsed decisions in the corpus; re-ingesting updates by case reference.

    Decisions are keyed by case reference: a decision read again replaces the stored one if it
    changed. Inputs that cannot be read, or have no reference, are rejected and listed (exit 1).
    The search index is updated batch by batch.
    """
    _check_paths(paths)
    out, err = Console(), Console(stderr=True)
    store = _open(db, err, index)
    try:
        if quiet or not sys.stdout.isatty():
            report = ingest(store, _read(paths, _workers(workers)), batch_size=batch_size)
        else:
            report = _ingest_with_progress(store, paths, batch_size, _workers(workers), out)
        _follow_vectors(store, out)
    except IngestInterrupted as exc:
        _print_report(exc.report, out)
        err.print(f"[red]ingest stopped:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from exc
    except SearchIndexError as exc:
        raise _fail(err, exc) from exc
    finally:
        store.close()
    _print_report(report, out)
    if report.rejected:
        raise typer.Exit(1)


def _follow_vectors(store: Store, out: Console) -> None:
    """Once the vector index exists (`ombuds vectors`), ingest keeps it current."""
    from ombuds.corpus.vectors import VectorIndexError
    from ombuds.suggest.embed import EmbeddingModelMissing
    from ombuds.suggest.vectors import enabled, follow

    if enabled(store):
        try:
            out.print(f"vector index: {follow(store)} decisions embedded", style="dim")
        except (VectorIndexError, EmbeddingModelMissing) as exc:
            out.print(f"vector index not updated ({escape(str(exc))}); run `ombuds vectors`")


def _ingest_with_progress(
    store: Store, paths: Sequence[str], batch_size: int, workers: int, console: Console
) -> IngestReport:
    columns = (
        SpinnerColumn(),
        TextColumn("[bold]Ingesting[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[source]}", style="dim"),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("ingest", total=None, source="")

        def advance(source: str) -> None:
            progress.update(task, advance=1, source=Path(source).name[-40:])

        return ingest(store, _read(paths, workers), batch_size=batch_size, on_item=advance)


def _print_report(report: IngestReport, console: Console) -> None:
    console.print(
        f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
        f"rejected {report.rejected}"
    )
    for rejection in report.rejections:
        # One line each, never wrapped, so the list can be grepped.
        console.print(
            f"rejected {rejection.source}: {rejection.reason}", markup=False, soft_wrap=True
        )


def search_command(
    query: Annotated[
        str | None, typer.Argument(help='Words, "a phrase", or a case reference (24 009 458).')
    ] = None,
    organisation: Annotated[
        str | None, typer.Option(help="Organisation name contains this.")
    ] = None,
    category: Annotated[
        str | None,
        typer.Option(help="Category: 'Housing', 'Homelessness' or 'Housing > Homelessness'."),
    ] = None,
    decision: Annotated[
        str | None,
        typer.Option(help="Outcome: upheld, not_upheld, closed_after_initial_enquiries."),
    ] = None,
    test: Annotated[
        str | None,
        typer.Option(help="Assessment Code test id relied on (e.g. alternative_remedy_court)."),
    ] = None,
    since: Annotated[str | None, typer.Option(help="Decided on or after: YYYY[-MM[-DD]].")] = None,
    until: Annotated[str | None, typer.Option(help="Decided on or before: YYYY[-MM[-DD]].")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Hits to show.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    like: Annotated[
        str | None,
        typer.Option("--like", help="Decisions like this one (a stored case reference)."),
    ] = None,
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
) -> None:
    """Ranked full-text search of the corpus, with filters and facet counts."""
    if like is not None:
        from ombuds.cli.suggest import print_like

        print_like(like, limit, as_json, _open(db, Console(stderr=True), index))
        return
    if query is None:
        raise typer.BadParameter("give words to search for, or --like REFERENCE")
    filters = SearchFilters(
        organisation=organisation,
        category=category,
        decision=decision,
        test=check_test_id(test),
        since=parse_date_bound(since, end=False, option="--since"),
        until=parse_date_bound(until, end=True, option="--until"),
    )
    if filters.since and filters.until and filters.since > filters.until:
        raise typer.BadParameter(
            f"--since {filters.since} is after --until {filters.until}", param_hint="'--since'"
        )
    check_search_input(query, organisation=organisation, category=category, decision=decision)
    out, err = Console(), Console(stderr=True)
    store = _open(db, err, index)
    started = time.perf_counter()
    try:
        result = search(store, query, filters, limit=limit)
    except SearchIndexError as exc:
        raise _fail(err, exc) from exc
    finally:
        store.close()
    _note_rebuild(result.rebuilt, store, err, time.perf_counter() - started)
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_result(result, out)


def check_search_input(query: str, **filters: str | None) -> None:
    """Usage error for a query or filter value over the limits (see ombuds.limits)."""
    if len(query) > MAX_QUERY_CHARS:
        raise typer.BadParameter(
            f"{len(query):,} characters; a query may have at most {MAX_QUERY_CHARS:,}",
            param_hint="'QUERY'",
        )
    for name, value in filters.items():
        try:
            check_filter(f"--{name}", value)
        except FilterError as exc:
            raise typer.BadParameter(str(exc), param_hint=f"'--{name}'") from None


def _rich_snippet(marked: str) -> str:
    return escape(marked).replace(MARK_START, "[bold yellow]").replace(MARK_END, "[/bold yellow]")


def _print_result(result: SearchResult, console: Console) -> None:
    if not result.total:
        console.print("No decisions match.")
        return
    shown = len(result.hits)
    note = (
        " (no decision has every word; showing those with any)" if result.mode == "any_word" else ""
    )
    table = Table(
        title=f"{result.total} decisions, best {shown}{note}", title_justify="left", show_lines=True
    )
    table.add_column("case", min_width=24, max_width=34, overflow="fold")
    table.add_column("snippet", ratio=1, min_width=30)
    for hit in result.hits:
        score = "reference match" if hit.match == "reference" else f"score {hit.score:.2f}"
        decided = hit.decision_date.isoformat() if hit.decision_date else "no date"
        case = (
            f"[bold]{hit.reference}[/bold]\n{escape(hit.organisation or '')}\n"
            f"{escape(hit.decision or '')}\n{decided} · {score}"
        )
        if hit.url:
            case += f"\n[link={escape(hit.url)}]{escape(hit.url)}[/link]"
        text = _rich_snippet(hit.snippet.marked)
        if hit.summary:
            text = f"[italic]{escape(hit.summary)}[/italic]\n{text}"
        table.add_row(case, text)
    console.print(table)
    for name in FACETS:
        counts = result.facets.get(name, {})
        if counts:
            top = ", ".join(f"{escape(k)} {v}" for k, v in list(counts.items())[:8])
            console.print(f"[bold]{name}[/bold]: {top}")


def stats_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    top: Annotated[int, typer.Option(min=1, help="Rows per table (JSON gives all).")] = 15,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Counts of stored decisions by decision, category, test, organisation and year."""
    err = Console(stderr=True)
    store = _open(db, err)
    try:
        stats = corpus_stats(store)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(stats.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_stats(stats, Console(), top)


def _print_stats(stats: CorpusStats, console: Console, top: int) -> None:
    console.print(f"[bold]{stats.total}[/bold] decisions")
    for title, counts in (
        ("decision", stats.by_decision),
        ("category", stats.by_category),
        ("test", stats.by_test),
        ("organisation", stats.by_organisation),
        ("year", stats.by_year),
    ):
        table = Table(title, "count", title=f"by {title}", title_justify="left")
        for key, count in list(counts.items())[:top]:
            table.add_row(escape(key), str(count))
        if len(counts) > top:
            table.add_row(f"… {len(counts) - top} more", "")
        console.print(table)


def reindex_command(db: DbOption = DEFAULT_DB, index: IndexOption = None) -> None:
    """Rebuild the search index from the database.

    Search and ingest rebuild a missing or stale index by themselves; use this after changing
    the database by other means, or to rebuild an index you suspect is damaged.
    """
    out, err = Console(), Console(stderr=True)
    store = _open(db, err, index)
    started = time.perf_counter()
    try:
        rebuilt = reindex(store)
    except SearchIndexError as exc:
        raise _fail(err, exc) from exc
    finally:
        store.close()
    out.print(
        f"indexed {rebuilt.decisions} decisions in {time.perf_counter() - started:.1f}s "
        f"into {store.index.path}",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    """Add ingest, search, stats and reindex to the ``ombuds`` app."""
    app.command("ingest")(ingest_command)
    app.command("search")(search_command)
    app.command("stats")(stats_command)
    app.command("reindex")(reindex_command)
