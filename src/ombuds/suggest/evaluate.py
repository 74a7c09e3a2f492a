"""`ombuds evaluate-suggest`: how well suggestions from the complaint alone match real outcomes.

Each row of a JSONL corpus is one published decision. The model and the baselines learn from
the training rows only, with the labels the parser reads from each statement (as `ombuds
train` does on a real corpus); they are scored against the people-read gold labels of the test
rows. Two splits:

- temporal: rows ordered by case reference (references are numbered in order of receipt);
  the first 80% train, the later 20% test;
- random: five folds grouped by reference (a hash of it), each fold tested once by a model
  trained on the other four; predictions pooled.

Baselines, in the same run: the majority outcome; TF-IDF with scikit-learn's default logistic
regression (one per reason, threshold 0.5), and the same with the reasons' threshold chosen
by cross-validation on the training rows (a fairer bar: at 0.5 a rare reason is never
predicted). Precedent hit@5: a test complaint's top five
precedents, retrieved from a corpus holding only the training decisions, include one that
relied on a reason the gold labels give for it (over test rows with at least one gold reason).
"""

from __future__ import annotations

import hashlib
import json
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ombuds.reading.sources import Parsed, parse_one
from ombuds.suggest.model import OUTCOMES, Example, Prediction, Settings, SuggestModel, train

SPLITS = ("temporal", "random")
FOLDS = 5
TEMPORAL_TRAIN = 0.8
ECE_BINS = 10


class EvaluationError(ValueError):
    """The corpus cannot be evaluated; the message says which file and line."""


@dataclass
class Row:
    reference: str
    text: str  # the complaint as written (the input)
    gold_decision: str | None
    gold_tests: tuple[str, ...]
    parsed: Parsed

    @property
    def label(self) -> Example:
        record = self.parsed.record
        return Example(self.reference, self.text, record.decision or "", tuple(record.tests))


@dataclass
class Scores:
    outcome_accuracy: float
    outcome_macro_f1: float
    outcome_f1: dict[str, float]
    tests_micro_f1: float
    calibration_error: float | None
    evaluated: int

    def to_json(self) -> dict[str, Any]:
        def rounded(value: Any) -> Any:
            if isinstance(value, float):
                return round(value, 4)
            if isinstance(value, dict):
                return {k: rounded(v) for k, v in value.items()}
            return value

        return {k: rounded(v) for k, v in self.__dict__.items()}


@dataclass
class SplitReport:
    name: str
    train: int
    test: int
    note: str
    model: Scores
    majority: Scores
    tfidf_lr: Scores
    tfidf_lr_tuned: Scores
    hit_at_5: dict[str, float] = field(default_factory=dict)
    hit_rows: int = 0
    latency_ms: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "split": self.name,
            "train": self.train,
            "test": self.test,
            "note": self.note,
            "model": self.model.to_json(),
            "baselines": {
                "majority": self.majority.to_json(),
                "tfidf_lr": self.tfidf_lr.to_json(),
                "tfidf_lr_tuned": self.tfidf_lr_tuned.to_json(),
            },
            "precedent_hit_at_5": {k: round(v, 4) for k, v in self.hit_at_5.items()},
            "precedent_rows": self.hit_rows,
            "latency_ms_per_complaint": {k: round(v, 2) for k, v in self.latency_ms.items()},
        }


def read_corpus(path: Path) -> list[Row]:
    """Rows with a complaint to predict from: ``complaint_text``, else the parsed section."""
    rows: list[Row] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"{path}: cannot read ({exc})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvaluationError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise EvaluationError(f"{path}:{number}: field 'text' missing; each row needs it")
        parsed = parse_one(data["text"], data.get("url"), f"{path}:{number}")
        if not isinstance(parsed, Parsed):
            continue
        complaint = data.get("complaint_text") or parsed.record.sections.get("complaint")
        reference = data.get("reference") or parsed.record.reference
        if not complaint or not reference:
            continue
        gold = data.get("decision") if "decision" in data else parsed.record.decision
        gold_tests = data.get("tests") if "tests" in data else parsed.record.tests
        rows.append(Row(str(reference), str(complaint), gold, tuple(gold_tests or ()), parsed))
    if len(rows) < 20:
        raise EvaluationError(
            f"{path}: only {len(rows)} rows with a complaint section; need at least 20 to evaluate"
        )
    return rows


def _reference_order(reference: str) -> str:
    return "".join(ch for ch in reference if ch.isalnum())


def _fold(reference: str) -> int:
    return int(hashlib.sha256(_reference_order(reference).encode()).hexdigest(), 16) % FOLDS


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / max(1, 2 * tp + fp + fn)


def score(
    rows: Sequence[Row],
    decisions: Sequence[str],
    tests: Sequence[Sequence[str]],
    confidence: Sequence[float] | None,
) -> Scores:
    """Outcome accuracy and macro-F1 (rows with a known gold outcome), reasons micro-F1, ECE."""
    known = [i for i, r in enumerate(rows) if r.gold_decision in OUTCOMES]
    per_class = {}
    for c in OUTCOMES:
        tp = sum(1 for i in known if decisions[i] == c and rows[i].gold_decision == c)
        fp = sum(1 for i in known if decisions[i] == c and rows[i].gold_decision != c)
        fn = sum(1 for i in known if decisions[i] != c and rows[i].gold_decision == c)
        per_class[c] = _f1(tp, fp, fn)
    tp = fp = fn = 0
    for row, predicted in zip(rows, tests, strict=True):
        gold, guess = set(row.gold_tests), set(predicted)
        tp, fp, fn = tp + len(gold & guess), fp + len(guess - gold), fn + len(gold - guess)
    ece = None
    if confidence is not None and known:
        ece = 0.0
        for b in range(ECE_BINS):
            low, high = b / ECE_BINS, (b + 1) / ECE_BINS
            members = [
                i for i in known if low < confidence[i] <= high or (b == 0 and confidence[i] == 0)
            ]
            if members:
                accuracy = sum(decisions[i] == rows[i].gold_decision for i in members) / len(
                    members
                )
                mean_conf = sum(confidence[i] for i in members) / len(members)
                ece += len(members) / len(known) * abs(accuracy - mean_conf)
    return Scores(
        outcome_accuracy=sum(decisions[i] == rows[i].gold_decision for i in known)
        / max(1, len(known)),
        outcome_macro_f1=sum(per_class.values()) / len(per_class),
        outcome_f1=per_class,
        tests_micro_f1=_f1(tp, fp, fn),
        calibration_error=ece,
        evaluated=len(known),
    )


def _tfidf_lr(
    train_rows: Sequence[Row], test_rows: Sequence[Row]
) -> tuple[list[str], list[float], dict[str, list[list[str]]]]:
    """The baselines: default TF-IDF, default logistic regression for the outcome and one per
    reason; the reasons at p >= 0.5 ("default") and at the threshold that is best on the
    training rows' out-of-fold probabilities ("tuned")."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    examples = [r.label for r in train_rows if r.label.decision in OUTCOMES]
    vectorizer = TfidfVectorizer()
    x = vectorizer.fit_transform([e.text for e in examples])
    xt = vectorizer.transform([r.text for r in test_rows])
    outcome = LogisticRegression(max_iter=2000).fit(x, [e.decision for e in examples])
    probabilities = outcome.predict_proba(xt)
    decisions = [str(c) for c in outcome.classes_[probabilities.argmax(axis=1)]]
    test_ids = [
        t
        for t in sorted({t for e in examples for t in e.tests})
        if 2 <= sum(t in e.tests for e in examples) <= len(examples) - 2
    ]
    truth = np.array([[int(t in e.tests) for t in test_ids] for e in examples]).reshape(
        len(examples), len(test_ids)
    )
    fold_of = np.arange(len(examples)) % FOLDS
    out_of_fold = np.zeros(truth.shape)
    scores = np.zeros((len(test_rows), len(test_ids)))
    for j in range(len(test_ids)):
        for k in range(FOLDS):
            held, kept = fold_of == k, fold_of != k
            y = truth[kept, j]
            if y.min() == y.max():  # no example of this reason left to learn from
                out_of_fold[held, j] = float(y[0])
                continue
            learner = LogisticRegression(max_iter=2000).fit(x[kept], y)
            out_of_fold[held, j] = learner.predict_proba(x[held])[:, 1]
        scores[:, j] = LogisticRegression(max_iter=2000).fit(x, truth[:, j]).predict_proba(xt)[:, 1]

    def chosen(threshold: float) -> list[list[str]]:
        return [[t for t, p in zip(test_ids, row, strict=True) if p >= threshold] for row in scores]

    def f1_at(threshold: float) -> float:
        predicted = out_of_fold >= threshold
        tp = int((predicted & (truth == 1)).sum())
        return _f1(tp, int(predicted.sum()) - tp, int(truth.sum()) - tp)

    tuned = max(np.arange(0.05, 0.951, 0.025), key=lambda t: (f1_at(float(t)), -t))
    tests = {"default": chosen(0.5), "tuned": chosen(float(tuned))}
    return decisions, [float(v) for v in probabilities.max(axis=1)], tests


def _majority(train_rows: Sequence[Row], n: int) -> tuple[list[str], list[list[str]]]:
    counts = Counter(r.label.decision for r in train_rows if r.label.decision in OUTCOMES)
    top = counts.most_common(1)[0][0]
    return [top] * n, [[] for _ in range(n)]


Embedder = Callable[[list[str]], Any]


class CachedEmbedder:
    """Embeds each distinct text once per evaluation run (folds share their texts)."""

    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}

    def __call__(self, texts: list[str]) -> Any:
        from ombuds.suggest.embed import DIMENSIONS, encoder

        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            for text, vector in zip(missing, encoder().encode(missing), strict=True):
                self._cache[text] = vector
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.vstack([self._cache[t] for t in texts])


def _hits(
    train_rows: Sequence[Row],
    test_rows: Sequence[Row],
    predictions: Sequence[Prediction],
    embedder: CachedEmbedder | None,
) -> tuple[dict[str, float], int, list[float]]:
    """Precedent hit@5 per retrieval mode, and the per-complaint retrieval times (hybrid)."""
    from ombuds.corpus.ingest import ingest
    from ombuds.corpus.store import open_store
    from ombuds.corpus.vectors import VectorIndex, catch_up, vector_location
    from ombuds.suggest.embed import DIMENSIONS, MODEL_NAME
    from ombuds.suggest.precedents import find_precedents

    with tempfile.TemporaryDirectory(prefix="ombuds-eval-") as folder:
        store = open_store(Path(folder) / "train.db")
        try:
            ingest(store, (r.parsed for r in train_rows))
            vectors = None
            query_vectors: list[Any] = [None] * len(test_rows)
            if embedder is not None:
                vectors = VectorIndex(vector_location(store))
                catch_up(store, vectors, embedder, MODEL_NAME, DIMENSIONS)
                query_vectors = list(embedder([r.text for r in test_rows]))
            modes: list[tuple[str, str, bool]] = [
                ("bm25", "bm25", False),
                ("bm25+reasons", "bm25", True),
            ]
            if vectors is not None:
                modes += [
                    ("dense", "dense", False),
                    ("hybrid", "hybrid", False),
                    ("hybrid+reasons", "hybrid", True),
                ]
            wanted = [i for i, r in enumerate(test_rows) if r.gold_tests]
            results: dict[str, float] = {}
            timings: list[float] = []
            for label, mode, rerank in modes:
                hits = 0
                for i in wanted:
                    started = time.perf_counter()
                    found = find_precedents(
                        store,
                        test_rows[i].text,
                        prediction=predictions[i],
                        vectors=vectors,
                        query_vector=query_vectors[i],
                        mode=mode,  # type: ignore[arg-type]
                        limit=5,
                        rerank=rerank,
                    )
                    if label == modes[-1][0]:
                        timings.append(time.perf_counter() - started)
                    gold = set(test_rows[i].gold_tests)
                    hits += any(gold & set(p.tests) for p in found)
                results[label] = hits / max(1, len(wanted))
            return results, len(wanted), timings
        finally:
            store.close()


def _evaluate_split(
    name: str,
    folds: list[tuple[list[Row], list[Row]]],
    note: str,
    settings: Settings,
    embedder: CachedEmbedder | None,
) -> SplitReport:
    tested: list[Row] = []
    ours_d: list[str] = []
    ours_t: list[list[str]] = []
    ours_c: list[float] = []
    maj_d: list[str] = []
    maj_t: list[list[str]] = []
    base_d: list[str] = []
    base_t: list[list[str]] = []
    base_tuned: list[list[str]] = []
    base_c: list[float] = []
    hit_totals: dict[str, float] = {}
    hit_rows = 0
    predict_times: list[float] = []
    retrieval_times: list[float] = []
    trained = 0
    for train_rows, test_rows in folds:
        model: SuggestModel = train([r.label for r in train_rows], settings)
        trained += len(train_rows)
        predictions = []
        for row in test_rows:
            started = time.perf_counter()
            predictions.extend(model.predict([row.text]))
            predict_times.append(time.perf_counter() - started)
        tested.extend(test_rows)
        ours_d += [p.decision for p in predictions]
        ours_t += [list(p.selected) for p in predictions]
        ours_c += [max(p.outcome.values()) for p in predictions]
        d, t = _majority(train_rows, len(test_rows))
        maj_d, maj_t = maj_d + d, maj_t + t
        d, c, baseline_tests = _tfidf_lr(train_rows, test_rows)
        base_d, base_c = base_d + d, base_c + c
        base_t += baseline_tests["default"]
        base_tuned += baseline_tests["tuned"]
        results, n, timings = _hits(train_rows, test_rows, predictions, embedder)
        for key, value in results.items():
            hit_totals[key] = hit_totals.get(key, 0.0) + value * n
        hit_rows += n
        retrieval_times += timings
    per_complaint = [a + b for a, b in zip(predict_times, retrieval_times, strict=False)]
    latency = {
        "model_mean": 1000 * statistics.fmean(predict_times),
        "precedents_mean": 1000 * statistics.fmean(retrieval_times) if retrieval_times else 0.0,
    }
    if len(per_complaint) >= 2:
        latency["model_plus_precedents_p95"] = 1000 * float(np.percentile(per_complaint, 95))
    return SplitReport(
        name=name,
        train=trained // max(1, len(folds)),
        test=len(tested),
        note=note,
        model=score(tested, ours_d, ours_t, ours_c),
        majority=score(tested, maj_d, maj_t, None),
        tfidf_lr=score(tested, base_d, base_t, base_c),
        tfidf_lr_tuned=score(tested, base_d, base_tuned, base_c),
        hit_at_5={k: v / max(1, hit_rows) for k, v in hit_totals.items()},
        hit_rows=hit_rows,
        latency_ms=latency,
    )


def evaluate(
    rows: list[Row],
    *,
    splits: Sequence[str] = SPLITS,
    dense: bool = True,
    settings: Settings | None = None,
) -> list[SplitReport]:
    settings = settings or Settings()
    embedder = CachedEmbedder() if dense else None
    reports = []
    ordered = sorted(rows, key=lambda r: _reference_order(r.reference))
    if "temporal" in splits:
        cut = int(len(ordered) * TEMPORAL_TRAIN)
        note = (
            f"trained on references up to {ordered[cut - 1].reference}, "
            f"tested on {ordered[cut].reference} onwards"
        )
        reports.append(
            _evaluate_split("temporal", [(ordered[:cut], ordered[cut:])], note, settings, embedder)
        )
    if "random" in splits:
        folds = [
            (
                [r for r in ordered if _fold(r.reference) != k],
                [r for r in ordered if _fold(r.reference) == k],
            )
            for k in range(FOLDS)
        ]
        reports.append(
            _evaluate_split(
                "random", folds, f"{FOLDS} folds grouped by reference", settings, embedder
            )
        )
    return reports
