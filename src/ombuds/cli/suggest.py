"""``ombuds suggest``, ``train``, ``evaluate-suggest`` and ``vectors``: help at a case's first
minute, learned from the corpus of published decisions."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.engine import make_url

from ombuds.cli.options import DbOption, IndexOption, resolve_db, resolve_index
from ombuds.corpus.index import SearchIndexError
from ombuds.corpus.store import Store, StoreError, open_store
from ombuds.corpus.url import DEFAULT_DB
from ombuds.corpus.vectors import VectorIndexError
from ombuds.rulebook.loader import load_rulebook
from ombuds.suggest.embed import EmbeddingModelMissing
from ombuds.suggest.evaluate import EvaluationError, SplitReport, evaluate, read_corpus
from ombuds.suggest.inputs import InputError, read_inputs
from ombuds.suggest.like import UnknownReference, similar_to
from ombuds.suggest.model import ModelError, SuggestModel, default_model_path, train
from ombuds.suggest.precedents import Precedent
from ombuds.suggest.service import Suggester, Suggestion
from ombuds.suggest.training import stored_examples

ModelOption = Annotated[
    Path | None,
    typer.Option("--model", help="A model from `ombuds train` (default: the one shipped)."),
]


def _error(message: str) -> typer.Exit:
    Console(stderr=True).print(f"[red]error:[/red] {escape(message)}")
    return typer.Exit(1)


def _existing_store(db: str | None, index: str | None) -> Store | None:
    """The corpus if there is one; a SQLite file that does not exist is not created."""
    url = resolve_db(db)
    parsed = make_url(url)
    is_file = parsed.get_backend_name() == "sqlite" and parsed.database
    if is_file and not Path(str(parsed.database)).is_file():
        return None
    try:
        return open_store(url, index=resolve_index(url, index))
    except StoreError as exc:
        raise _error(str(exc)) from exc


def _load_model(path: Path | None) -> SuggestModel:
    try:
        return SuggestModel.load(path or default_model_path())
    except ModelError as exc:
        raise _error(str(exc)) from exc


def suggest_command(
    path: Annotated[
        str,
        typer.Argument(
            help="A complaint: plain text, a complaint file (YAML/JSON), JSON lines with "
            "'text', or - for standard input.",
            metavar="PATH|-",
        ),
    ],
    db: Annotated[
        str | None,
        typer.Option("--db", envvar="OMBUDS_DB", help="Corpus for precedents (default ombuds.db)."),
    ] = None,
    index: IndexOption = None,
    model: ModelOption = None,
    precedents: Annotated[int, typer.Option(min=0, max=50, help="Precedents to show.")] = 5,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (one object per line).")
    ] = False,
) -> None:
    """Likely outcome and reasons, questions to check first, and the closest published decisions.

    Learned from published decisions: advice for the assessor, who decides.
    """
    err = Console(stderr=True)
    try:
        content = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(f"{path}: cannot read ({exc}); give a UTF-8 text file or -") from exc
    try:
        written = read_inputs("<stdin>" if path == "-" else path, content, load_rulebook())
    except InputError as exc:
        raise _error(str(exc)) from exc
    store = _existing_store(db, index) if precedents else None
    if precedents and store is None:
        err.print(
            f"no corpus at {db or DEFAULT_DB}: no precedents (ingest decisions, or give --db)",
            style="dim",
        )
    suggester = Suggester(_load_model(model), store, precedents=precedents)
    try:
        results = suggester.suggest_many([w.text for w in written])
    except (SearchIndexError, VectorIndexError, EmbeddingModelMissing) as exc:
        raise _error(str(exc)) from exc
    finally:
        if store is not None:
            store.close()
    if as_json:
        for result in results:
            typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
        return
    out = Console()
    for item, result in zip(written, results, strict=True):
        _print_suggestion(item.source, result, out)


def _print_suggestion(source: str, result: Suggestion, console: Console) -> None:
    p = result.prediction
    console.print(f"[bold]{escape(source)}[/bold]")
    outcome = ", ".join(
        f"{name.replace('_', ' ')} {p.outcome[name]:.0%}"
        for name in sorted(p.outcome, key=lambda n: -p.outcome[n])
    )
    console.print(f"Likely outcome: [bold]{p.decision.replace('_', ' ')}[/bold] ({outcome})")
    if p.selected:
        reasons = ", ".join(f"{t} {p.tests[t]:.0%}" for t in p.selected)
        console.print(f"Likely reasons: {escape(reasons)}")
    else:
        console.print("Likely reasons: none above the model's threshold")
    if result.questions:
        console.print("Check first: " + escape(", ".join(result.questions)))
    if result.precedents:
        _precedent_table(result.precedents, console, "Closest published decisions")
    console.print(
        "[dim]Suggestions learned from published decisions; the assessor decides.[/dim]\n"
    )


def _precedent_table(found: list[Precedent], console: Console, title: str) -> None:
    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("case", min_width=24, max_width=40, overflow="fold")
    table.add_column("summary, and why it is close", ratio=1, min_width=30)
    for hit in found:
        decided = hit.decision_date.isoformat() if hit.decision_date else "no date"
        case = (
            f"[bold]{escape(hit.reference)}[/bold]\n{escape(hit.organisation or '')}\n"
            f"{escape(hit.decision or '')} · {decided}"
        )
        if hit.url:
            case += f"\n[link={escape(hit.url)}]{escape(hit.url)}[/link]"
        body = escape(hit.summary or "(no summary)")
        if hit.tests:
            body += "\n[dim]reasons: " + escape(", ".join(hit.tests)) + "[/dim]"
        if hit.why:
            body += "\n[green]" + escape("; ".join(hit.why)) + "[/green]"
        table.add_row(case, body)
    console.print(table)


def print_like(reference: str, limit: int, as_json: bool, store: Store) -> None:
    """``ombuds search --like REFERENCE``."""
    try:
        shown, found = similar_to(store, reference, limit=limit)
    except UnknownReference as exc:
        raise _error(str(exc)) from exc
    except (SearchIndexError, VectorIndexError) as exc:
        raise _error(str(exc)) from exc
    finally:
        store.close()
    if as_json:
        typer.echo(
            json.dumps(
                {"like": shown, "hits": [p.to_json() for p in found]}, ensure_ascii=False, indent=2
            )
        )
        return
    console = Console()
    if not found:
        console.print(f"No decisions like {shown} found.")
        return
    _precedent_table(found, console, f"Decisions like {shown}")


def train_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the model.")],
    db: DbOption = DEFAULT_DB,
    index: IndexOption = None,
) -> None:
    """Train the suggestion model on the corpus: each decision's complaint section, labelled
    with the outcome and reasons the parser read from the rest of the statement."""
    store = _existing_store(db, index)
    if store is None:
        raise _error(f"no corpus at {db}; ingest decisions first (`ombuds ingest FILE --db {db}`)")
    try:
        examples = list(stored_examples(store))
    finally:
        store.close()
    started = time.perf_counter()
    try:
        model = train(examples)
    except ModelError as exc:
        raise _error(str(exc)) from exc
    temporary = output.with_name(output.name + ".tmp")
    try:
        model.save(temporary)
        temporary.replace(output)
    except OSError as exc:
        raise _error(f"{output}: cannot write the model ({exc})") from exc
    Console().print(
        f"trained on {model.trained_on['decisions']} decisions "
        f"({', '.join(f'{k} {v}' for k, v in model.trained_on['outcomes'].items())}), "
        f"{len(model.test_ids)} reasons, threshold {model.threshold}, "
        f"{time.perf_counter() - started:.1f}s -> {output} ({output.stat().st_size // 1024} KB)"
    )


def evaluate_command(
    corpus: Annotated[Path, typer.Argument(help="JSON lines with text, decision and tests.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    split: Annotated[
        str, typer.Option(help="temporal, random, or both (comma-separated).")
    ] = "temporal,random",
    dense: Annotated[
        bool, typer.Option(help="Also measure sentence-embedding and hybrid precedents.")
    ] = True,
) -> None:
    """Measure suggestions against a corpus's gold labels, with baselines from the same run."""
    splits = [s.strip() for s in split.split(",") if s.strip()]
    unknown = [s for s in splits if s not in ("temporal", "random")]
    if unknown or not splits:
        raise typer.BadParameter(
            f"unknown split {unknown}: use temporal, random", param_hint="'--split'"
        )
    try:
        rows = read_corpus(corpus)
        reports = evaluate(rows, splits=splits, dense=dense)
    except (EvaluationError, ModelError) as exc:
        raise _error(str(exc)) from exc
    except EmbeddingModelMissing as exc:
        raise _error(f"{exc}; or run with --no-dense") from exc
    if as_json:
        typer.echo(json.dumps([r.to_json() for r in reports], indent=2))
        return
    console = Console()
    for report in reports:
        _print_report(report, console)


def _print_report(report: SplitReport, console: Console) -> None:
    console.print(
        f"[bold]{report.name} split[/bold]: train {report.train}, test {report.test} "
        f"({escape(report.note)})"
    )
    table = Table(show_header=True)
    for column in ("", "accuracy", "outcome macro-F1", "reasons micro-F1", "calibration error"):
        table.add_column(column)
    for name, scores in (
        ("model", report.model),
        ("TF-IDF + LR", report.tfidf_lr),
        ("TF-IDF + LR tuned", report.tfidf_lr_tuned),
        ("majority", report.majority),
    ):
        ece = "-" if scores.calibration_error is None else f"{scores.calibration_error:.3f}"
        table.add_row(
            name,
            f"{scores.outcome_accuracy:.3f}",
            f"{scores.outcome_macro_f1:.3f}",
            f"{scores.tests_micro_f1:.3f}",
            ece,
        )
    console.print(table)
    hits = ", ".join(f"{k} {v:.3f}" for k, v in report.hit_at_5.items())
    console.print(f"precedent hit@5 ({report.hit_rows} complaints with a gold reason): {hits}")
    latency = ", ".join(f"{k} {v:.1f} ms" for k, v in report.latency_ms.items())
    console.print(f"latency per complaint: {latency}\n")


def vectors_command(db: DbOption = DEFAULT_DB, index: IndexOption = None) -> None:
    """Build the vector index for precedents (or bring it up to date); ingest then keeps it
    current. Embeds each decision's complaint section with all-MiniLM-L6-v2."""
    from ombuds.suggest.vectors import follow

    store = _existing_store(db, index)
    if store is None:
        raise _error(f"no corpus at {db}; ingest decisions first")
    started = time.perf_counter()
    try:
        count = follow(store)
    except (VectorIndexError, EmbeddingModelMissing) as exc:
        raise _error(str(exc)) from exc
    finally:
        store.close()
    Console().print(
        f"vector index current: {count} decisions embedded ({time.perf_counter() - started:.1f}s)"
    )


def register(app: typer.Typer) -> None:
    app.command("suggest")(suggest_command)
    app.command("train")(train_command)
    app.command("evaluate-suggest")(evaluate_command)
    app.command("vectors")(vectors_command)
