"""Corpus benchmark: ingest throughput, database size and search latency against a baseline.

    python benchmarks/corpus.py                 # 10k and 100k, readable
    python benchmarks/corpus.py --n 10000 --json

A pool of statements is drafted by the core (see synthetic_corpus.py) and parsed once with
``ombuds.reading.parse_text`` (parse throughput is reported from the pool); each of the N
decisions is a varied copy of a pooled one, its record varied the same way as its text (a
sample is re-parsed to check they agree). They are ingested into a fresh SQLite corpus and
its search index; drafting, parsing and varying are timed separately from ingest.

Search latency is measured over a fixed set of realistic queries (some with filters, some
case references) and compared, in the same process, with a naive baseline: rank_bm25's
BM25Okapi over the same texts, scoring every document per query, then applying the same
filters and taking the top hits. The baseline computes no facets or snippets; ombuds search
does both, so the comparison is conservative.

End to end (``end_to_end_per_s``): the N full statement texts are written as a raw JSONL and
ingested by the real ``ombuds ingest`` command in a fresh process, parsing in one worker
process per core (``--workers``), so nothing is pre-parsed. ``parse_per_s`` is one process
parsing the pool (wall clock); ``parse_cpu_per_s`` the same per CPU second, the fairer
per-core figure on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from rank_bm25 import BM25Okapi

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ombuds.corpus.ingest import ingest
from ombuds.corpus.search import SearchFilters, normalise_decision, search
from ombuds.corpus.store import Store, open_store
from ombuds.domain.record import DecisionRecord
from ombuds.reading import Parsed, parse_text
from ombuds.reading.parallel import available_cores
from ombuds.reading.patterns import load_patterns, warm
from synthetic_corpus import Variant, draft_pool, variants

POOL = 3000
LIMIT = 10
REPEATS = 3
CHECKED = 50  # varied records checked against parsing their text
_TOKEN = re.compile(r"[^\W_]+")

# Realistic queries: what a caseworker or researcher would type, with and without filters.
QUERIES: list[tuple[str, SearchFilters]] = [
    ("late complaint", SearchFilters()),
    ("no good reason to complain sooner", SearchFilters()),
    ("missed bin collections", SearchFilters()),
    ("garden waste collection", SearchFilters(decision="closed_after_initial_enquiries")),
    ("council tax reduction", SearchFilters()),
    ("council tax", SearchFilters(category="Benefits and tax")),
    ("housing benefit overpayment", SearchFilters()),
    ("homelessness application", SearchFilters(category="Housing")),
    ("damp and mould", SearchFilters()),
    ("housing register banding", SearchFilters(since=date(2023, 1, 1))),
    ("disabled facilities grant", SearchFilters()),
    ("care needs assessment", SearchFilters(category="Adult care services")),
    ("residential care fees", SearchFilters()),
    ("direct payments personal assistant", SearchFilters()),
    ("safeguarding enquiry", SearchFilters(until=date(2022, 12, 31))),
    ("respite care", SearchFilters()),
    ("education health and care plan", SearchFilters()),
    ("school admission appeal", SearchFilters(category="Education")),
    ("home to school travel assistance", SearchFilters()),
    ("special guardianship allowance", SearchFilters()),
    ("foster care placement", SearchFilters()),
    ("penalty charge notice", SearchFilters()),
    ("parking permit", SearchFilters(decision="closed_after_initial_enquiries")),
    ("pothole", SearchFilters()),
    ("public footpath obstruction", SearchFilters()),
    ("street lighting", SearchFilters(since=date(2024, 1, 1))),
    ("noise from a neighbouring pub", SearchFilters()),
    ("licensing takeaway", SearchFilters()),
    ("planning application extension", SearchFilters()),
    ("enforcement action breach of planning control", SearchFilters()),
    ("tree preservation order", SearchFilters()),
    ("fly-tipping", SearchFilters()),
    ("freedom of information request", SearchFilters()),
    ("information commissioner", SearchFilters()),
    ("appeal to a tribunal", SearchFilters(test="alternative_remedy_tribunal")),
    ("court", SearchFilters(test="alternative_remedy_court")),
    ("not enough evidence of fault", SearchFilters()),
    ("injustice not significant", SearchFilters()),
    ("public body parish council", SearchFilters()),
    ("government minister appeal", SearchFilters()),
    ("Planning Inspectorate", SearchFilters()),
    ("Valuation Tribunal", SearchFilters()),
    ("complaint handling", SearchFilters(decision="closed_after_initial_enquiries")),
    ("premature council complaints procedure", SearchFilters()),
    ("lost the paperwork", SearchFilters()),
    ("blue badge renewal", SearchFilters(organisation="County Council")),
    ("allotment tenancy", SearchFilters()),
    ("business rates relief", SearchFilters(since=date(2021, 1, 1), until=date(2023, 12, 31))),
]
REFERENCE_QUERIES = 4  # plus this many case-reference lookups taken from the corpus


@dataclass
class Doc:
    """What the baseline needs of a decision: its tokens and its filter fields."""

    tokens: list[str]
    organisation: str
    category: str
    decision: str
    decided: date | None
    tests: frozenset[str]


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


class Baseline:
    """BM25Okapi over every document; filters applied after scoring."""

    def __init__(self, docs: list[Doc]) -> None:
        self.docs = docs
        self.bm25 = BM25Okapi([d.tokens for d in docs])

    def _mask(self, f: SearchFilters) -> np.ndarray[Any, Any]:
        keep = np.ones(len(self.docs), dtype=bool)
        if any((f.organisation, f.category, f.decision, f.test, f.since, f.until)):
            for i, d in enumerate(self.docs):
                keep[i] = _passes(d, f)
        return keep

    def search(self, query: str, f: SearchFilters) -> list[int]:
        scores = self.bm25.get_scores(tokens(query))
        scores = np.where(self._mask(f), scores, -np.inf)
        top = np.argpartition(-scores, LIMIT)[:LIMIT]
        return [int(i) for i in top[np.argsort(-scores[top])] if scores[i] > 0]


def _passes(d: Doc, f: SearchFilters) -> bool:
    category = f.category.lower() if f.category else None
    return not (
        (f.organisation and f.organisation.lower() not in d.organisation.lower())
        or (category and not d.category.lower().startswith(category))
        or (f.decision and d.decision != normalise_decision(f.decision))
        or (f.test and f.test not in d.tests)
        or (f.since and (d.decided is None or d.decided < f.since))
        or (f.until and (d.decided is None or d.decided > f.until))
    )


def varied_record(record: DecisionRecord, variant: Variant, source: str) -> DecisionRecord:
    """The record ``parse_text`` gives for the varied statement, made from the pooled record."""
    rewrite = variant.rewrite
    return record.model_copy(
        update={
            "reference": variant.reference,
            "organisation": variant.organisation,
            "decision_date": variant.decided,
            "complainant": rewrite(record.complainant) if record.complainant else None,
            "summary": rewrite(record.summary) if record.summary else None,
            "points": [rewrite(point) for point in record.points],
            "sections": {name: rewrite(body) for name, body in record.sections.items()},
            "remedies": [
                remedy.model_copy(update={"text": rewrite(remedy.text)})
                for remedy in record.remedies
            ],
            "source": source,
        }
    )


def build_corpus(
    n: int, seed: int, pool_size: int, log: Callable[[str], None]
) -> tuple[list[Parsed], dict[str, float]]:
    """N parsed statements: the pool is drafted and parsed once, then varied N times.

    Parsing every one of the N statements would only re-measure the parser (it is timed on the
    pool); a sample of varied statements is parsed to check that varying records gives what
    parsing the varied text would.
    """
    started = time.perf_counter()
    pool = draft_pool(min(pool_size, n), seed)
    draft_s = time.perf_counter() - started

    warm(load_patterns())  # compile every pattern before timing (once per process)
    started, cpu = time.perf_counter(), time.process_time()
    records = [parse_text(text, source=f"pool:{i}") for i, text in enumerate(pool.texts)]
    parse_s = time.perf_counter() - started
    parse_cpu_s = time.process_time() - cpu

    started = time.perf_counter()
    parsed = []
    for i, variant in enumerate(variants(pool, n, seed)):
        text = variant.apply(pool.texts[variant.pool_index])
        record = varied_record(records[variant.pool_index], variant, f"synthetic:{i}")
        parsed.append(Parsed(record=record, text=text, raw=text))
    vary_s = time.perf_counter() - started

    rng = random.Random(seed)
    for p in rng.sample(parsed, min(CHECKED, n)):
        if parse_text(p.text, source=p.record.source) != p.record:
            raise SystemExit(f"varied record differs from parsing its text: {p.record.source}")
    timings = {
        "draft_s": draft_s,
        "parse_s": parse_s,
        "parse_per_s": len(records) / parse_s,
        "parse_cpu_per_s": len(records) / parse_cpu_s,
        "vary_s": vary_s,
    }
    log(
        f"n={n}: drafted {len(pool.texts)} statements in {draft_s:.1f}s, parsed them in "
        f"{parse_s:.1f}s ({timings['parse_per_s']:.0f}/s), varied to {n} in {vary_s:.1f}s"
    )
    return parsed, timings


E2E_BATCH = 2000  # decisions per transaction and index commit in the end-to-end ingest
_MEASURED_INGEST = """
import atexit, sys, threading, time
from ombuds.cli.main import app
peak = {"RssAnon:": 0, "RssFile:": 0}
def sample():
    while True:
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    key = line.split(":")[0] + ":"
                    if key in peak:
                        peak[key] = max(peak[key], int(line.split()[1]))
        except OSError:
            return
        time.sleep(0.1)
threading.Thread(target=sample, daemon=True).start()
def report():
    # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over exec, so it would report
    # the benchmark process this one was forked from (which holds the whole corpus)
    with open("/proc/self/status") as status:
        rss = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    print(f"RSS {rss} {peak['RssAnon:']} {peak['RssFile:']}", file=sys.stderr)
atexit.register(report)
app(sys.argv[1:])
"""


def end_to_end(
    parsed: list[Parsed],
    folder: Path,
    workers: int,
    log: Callable[[str], None],
    keep_raw: Path | None = None,
) -> dict[str, Any]:
    """Raw statement text to a searchable corpus: ``ombuds ingest`` of a JSONL of full texts.

    Runs the real command in a fresh process (reading, parsing in ``workers`` processes,
    storing, indexing), so nothing is pre-parsed; reports its wall time and peak memory.
    """
    corpus = folder / "raw.jsonl"
    with corpus.open("w", encoding="utf-8") as handle:
        for p in parsed:
            handle.write(json.dumps({"text": p.text}) + "\n")
    raw_mb = corpus.stat().st_size / 1e6
    command = [sys.executable, "-c", _MEASURED_INGEST, "ingest", str(corpus), "-q"]
    command += ["--db", str(folder / "e2e.db"), "--workers", str(workers)]
    command += ["--batch-size", str(E2E_BATCH)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"end-to-end ingest failed: {done.stdout[-500:]} {done.stderr[-500:]}")
    rss = next(line.split() for line in done.stderr.splitlines() if line.startswith("RSS "))
    result = {
        "end_to_end_s": round(seconds, 2),
        "end_to_end_per_s": round(len(parsed) / seconds, 1),
        "end_to_end_workers": workers,
        "end_to_end_batch": E2E_BATCH,
        "end_to_end_raw_mb": round(raw_mb, 1),
        "end_to_end_peak_rss_mb": round(int(rss[1]) / 1024, 1),
        # RSS splits into the process's own memory (anonymous) and the files it has mapped
        # (shared libraries, the search index's segments): peaks sampled every 0.1 s
        "end_to_end_peak_anon_mb": round(int(rss[2]) / 1024, 1),
        "end_to_end_peak_file_mb": round(int(rss[3]) / 1024, 1),
    }
    log(
        f"n={len(parsed)}: end to end from raw text ({raw_mb:.0f} MB JSONL, {workers} parse "
        f"workers) in {seconds:.1f}s ({result['end_to_end_per_s']:.0f}/s), peak memory of the "
        f"storing process {result['end_to_end_peak_rss_mb']:.0f} MB"
    )
    if keep_raw is not None:
        shutil.move(corpus, keep_raw)
    else:
        corpus.unlink()
    return result


def run(
    n: int,
    seed: int = 7,
    pool_size: int = POOL,
    log: Callable[[str], None] = print,
    workers: int = 0,
    keep_raw: Path | None = None,
) -> dict[str, Any]:
    parsed, timings = build_corpus(n, seed, pool_size, log)
    if workers >= 0:
        with tempfile.TemporaryDirectory() as folder:
            e2e = end_to_end(
                parsed, Path(folder), workers or available_cores(), log, keep_raw=keep_raw
            )
    else:
        e2e = {}

    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.db"
        store = open_store(db_path)
        started = time.perf_counter()
        report = ingest(store, parsed)
        ingest_s = time.perf_counter() - started
        if report.rejected or report.added != n:
            raise SystemExit(f"ingest stored {report.added} of {n}: {report.rejections[:3]}")
        with store.engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db_mb = db_path.stat().st_size / 1e6
        index_mb = sum(f.stat().st_size for f in store.index.path.rglob("*") if f.is_file()) / 1e6
        log(
            f"n={n}: ingested in {ingest_s:.1f}s ({n / ingest_s:.0f}/s), database {db_mb:.0f} MB,"
            f" search index {index_mb:.0f} MB"
        )

        rng = random.Random(seed)
        queries = list(QUERIES)
        for p in rng.sample(parsed, REFERENCE_QUERIES):
            reference = p.record.reference or ""
            queries.append((reference.replace(" ", "-"), SearchFilters()))
        ours = _measure_ours(store, queries)
        store.close()

    docs = [
        Doc(
            tokens=tokens(p.text),
            organisation=p.record.organisation or "",
            category=p.record.category or "",
            decision=p.record.decision or "",
            decided=p.record.decision_date,
            tests=frozenset(p.record.tests),
        )
        for p in parsed
    ]
    del parsed
    baseline = Baseline(docs)
    # One pass: the baseline is slow and its time does not vary with caching.
    base = [timed(lambda q=q, f=f: baseline.search(q, f)) for q, f in queries]

    result = {
        "n": n,
        "draft_s": round(timings["draft_s"], 2),
        "parse_s": round(timings["parse_s"], 2),
        "parse_per_s": round(timings["parse_per_s"], 1),
        "parse_cpu_per_s": round(timings["parse_cpu_per_s"], 1),
        **e2e,
        "vary_s": round(timings["vary_s"], 2),
        "ingest_s": round(ingest_s, 2),
        "ingest_per_s": round(n / ingest_s, 1),
        "db_mb": round(db_mb, 1),
        "index_mb": round(index_mb, 1),
        "queries": len(queries),
        "search_p50_ms": round(percentile(ours, 0.5), 2),
        "search_p95_ms": round(percentile(ours, 0.95), 2),
        "baseline_p50_ms": round(percentile(base, 0.5), 2),
        "baseline_p95_ms": round(percentile(base, 0.95), 2),
    }
    result["speedup_p95"] = round(result["baseline_p95_ms"] / result["search_p95_ms"], 1)
    return result


def _measure_ours(store: Store, queries: list[tuple[str, SearchFilters]]) -> list[float]:
    for q, f in queries:  # warm the page cache once, as a running service would be
        search(store, q, f, limit=LIMIT)
    return [
        timed(lambda q=q, f=f: search(store, q, f, limit=LIMIT))
        for _ in range(REPEATS)
        for q, f in queries
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="corpus size (repeatable)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pool", type=int, default=POOL, help="statements drafted by the core")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="parse workers for the end-to-end figure (0: one per core; -1: skip it)",
    )
    parser.add_argument(
        "--keep-raw", type=Path, help="keep the end-to-end raw JSONL here (to re-run by hand)"
    )
    args = parser.parse_args(argv)
    sizes = args.n or [10_000, 100_000]
    quiet = args.json

    def log(message: str) -> None:
        if not quiet:
            print(message, flush=True)
        else:
            print(message, file=sys.stderr, flush=True)

    for n in sizes:
        result = run(
            n,
            seed=args.seed,
            pool_size=args.pool,
            log=log,
            workers=args.workers,
            keep_raw=args.keep_raw,
        )
        if args.json:
            print(json.dumps(result))
        else:
            print(
                f"n={n}: search p50 {result['search_p50_ms']} ms, p95 {result['search_p95_ms']} ms;"
                f" baseline p50 {result['baseline_p50_ms']} ms, p95 {result['baseline_p95_ms']} ms;"
                f" speedup at p95 {result['speedup_p95']}x",
                flush=True,
            )


if __name__ == "__main__":
    main()
