"""Benchmark `ombuds suggest`: latency per complaint over a large corpus, model load, memory.

    python benchmarks/suggest.py [--n 100000] [--queries 200] [--dense] [--json]

Builds N synthetic decisions (synthetic_corpus.py, as benchmarks/corpus.py does), ingests
them into a temporary SQLite corpus, then starts a fresh process that does what `ombuds
suggest` does and measures it alone: time to import and load the shipped model (to a first
prediction), then per complaint (the complaint sections of decisions not in the corpus):
prediction, precedents (BM25 over the search index, re-ranked by the predicted reasons) and
the rows read back, p50/p95; and that process's peak resident memory.

--dense adds the vector index (hybrid precedents, with the query embedded by all-MiniLM-L6-v2
in NumPy). Embedding 100k decisions on a laptop takes hours, so the benchmark embeds a sample
of 2,000 decisions and gives decision k the vector of sample k mod 2,000: the exact vector
search costs the same whatever the vectors hold, and the query's own embedding is real.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

SAMPLE = 2000


def _serve(db: Path, queries: Path, dense: bool) -> dict[str, Any]:
    """In a fresh process: load, then answer each complaint as `ombuds suggest` would."""
    started = time.perf_counter()
    from ombuds.suggest.model import SuggestModel, default_model_path

    model = SuggestModel.load(default_model_path())
    model.predict(["warm up"])
    load_s = time.perf_counter() - started

    from ombuds.corpus.store import open_store
    from ombuds.suggest.service import Suggester

    store = open_store(db)
    suggester = Suggester(model, store, mode="hybrid" if dense else "bm25")
    texts = json.loads(queries.read_text(encoding="utf-8"))
    suggester.suggest_many(texts[:1])  # open the search index (and the vectors)
    startup_s = time.perf_counter() - started
    suggester.suggest_many(texts[1:3])  # warm the caches
    timings = []
    for text in texts:
        t0 = time.perf_counter()
        result = suggester.suggest_many([text])
        timings.append(time.perf_counter() - t0)
        assert result[0].precedents, "no precedents found"
    store.close()
    ordered = sorted(timings)
    return {
        "mode": suggester.mode,
        "model_load_s": round(load_s, 3),
        "startup_s": round(startup_s, 3),
        "complaints": len(texts),
        "latency_ms_p50": round(1000 * statistics.median(ordered), 2),
        "latency_ms_p95": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 2),
        "latency_ms_max": round(1000 * ordered[-1], 2),
        "peak_rss_mb": round(_peak_rss_kb() / 1024, 1),
    }


def _peak_rss_kb() -> int:
    """This process's peak resident memory (VmHWM).

    Not getrusage's ru_maxrss: Linux carries it over exec, so it would report the benchmark
    process this one was forked from, which built the whole corpus.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):  # not Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _vectors(db: Path, log: Any) -> None:
    import numpy as np

    from ombuds.corpus.schema import decision
    from ombuds.corpus.store import open_store
    from ombuds.corpus.sync import database_state
    from ombuds.corpus.vectors import VectorIndex, embedded_text, hash_prefix, vector_location
    from ombuds.suggest.embed import DIMENSIONS, MODEL_NAME, encoder

    store = open_store(db)
    try:
        with store.engine.connect() as conn:
            state = database_state(conn)
            rows = conn.execute(
                decision.select()
                .with_only_columns(
                    decision.c.id,
                    decision.c.content_hash,
                    decision.c.sections,
                    decision.c.summary,
                    decision.c.text,
                )
                .order_by(decision.c.id)
            ).all()
        started = time.perf_counter()
        sample = [embedded_text(r.sections, r.summary, r.text) for r in rows[:SAMPLE]]
        vectors = encoder().encode(sample)
        log(f"embedded {len(sample)} sample decisions in {time.perf_counter() - started:.1f}s")
        tiled = np.vstack([vectors[k % len(sample)] for k in range(len(rows))])
        index = VectorIndex(vector_location(store))
        index.create(MODEL_NAME, DIMENSIONS)
        index.add_segment(
            [int(r.id) for r in rows],
            [hash_prefix(r.content_hash) for r in rows],
            tiled,
            [],
            corpus_id=state.corpus_id,
            generation=state.generation,
        )
    finally:
        store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="decisions in the corpus")
    parser.add_argument("--queries", type=int, default=200, help="complaints to time")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dense", action="store_true", help="also build the vector index")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--serve", nargs=2, metavar=("DB", "QUERIES"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        print(json.dumps(_serve(Path(args.serve[0]), Path(args.serve[1]), args.dense)))
        return

    def log(message: str) -> None:
        print(message, file=sys.stderr if args.json else sys.stdout, flush=True)

    from corpus import POOL, build_corpus
    from ombuds.corpus.ingest import ingest
    from ombuds.corpus.store import open_store

    parsed, _ = build_corpus(args.n + args.queries, args.seed, POOL, log)
    rng = random.Random(args.seed)
    held = set(rng.sample(range(len(parsed)), args.queries))
    queries = [
        parsed[i].record.sections.get("complaint") or parsed[i].record.summary or ""
        for i in sorted(held)
    ]
    with tempfile.TemporaryDirectory(prefix="ombuds-bench-") as folder:
        db = Path(folder) / "bench.db"
        store = open_store(db)
        started = time.perf_counter()
        report = ingest(store, (p for i, p in enumerate(parsed) if i not in held))
        ingest_s = time.perf_counter() - started
        store.close()
        del parsed
        log(f"ingested {report.stored} decisions in {ingest_s:.0f}s")
        if args.dense:
            _vectors(db, log)
        query_file = Path(folder) / "queries.json"
        query_file.write_text(json.dumps(queries), encoding="utf-8")
        command = [sys.executable, __file__, "--serve", str(db), str(query_file)]
        if args.dense:
            command.append("--dense")
        served = subprocess.run(command, check=True, capture_output=True, text=True)
        figures = {"decisions": report.stored, **json.loads(served.stdout.strip().splitlines()[-1])}
    figures["targets"] = {"latency_ms_p95": 100, "model_load_s": 2, "peak_rss_mb": 1024}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
