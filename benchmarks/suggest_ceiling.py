"""How much of the reasons can the complaint section predict? Learners compared, and a ceiling.

    python benchmarks/suggest_ceiling.py [../shared/corpus/dev.jsonl]

The same temporal split as `ombuds evaluate-suggest` (rows ordered by reference, the first 80%
train), but every learner here trains on the people-read gold labels (the shipped model
trains on what the parser reads, as `ombuds train` does on a real corpus), so these figures
are if anything generous. Each learner's threshold is chosen by 5-fold cross-validation on
the training rows only. Printed: reasons micro-F1 on the test rows for

- an oracle that knows which test complaints were closed and gives each the commonest reason
  (insufficient evidence of fault): what knowing the outcome alone is worth;
- one logistic regression per reason on TF-IDF words and pairs (one threshold for all);
- nearest neighbours: the reasons of the k most similar training complaints, weighted;
- the two averaged;
- two stages, as a statement gives reasons: whether any reason is given at all (one logistic
  regression), then which (one per reason, trained only on decisions that give reasons); a
  complaint past the first stage gets its likeliest reason and any other past a second
  threshold, both thresholds chosen together by cross-validation on the training rows;
- the commonest reason wherever the first stage says reasons will be given.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics.pairwise import cosine_similarity
from sklearn.model_selection import KFold, cross_val_predict

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev.jsonl"
THRESHOLDS = np.arange(0.05, 0.95, 0.025)
COMMONEST = "insufficient_evidence_of_fault"


def _rows(path: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    rows = [r for r in rows if r.get("complaint_text") and r.get("decision") != "unknown"]
    return sorted(rows, key=lambda r: "".join(c for c in r["reference"] if c.isalnum()))


def micro_f1(gold: Sequence[set[str]], predicted: Sequence[set[str]]) -> float:
    tp = sum(len(g & p) for g, p in zip(gold, predicted, strict=True))
    fp = sum(len(p - g) for g, p in zip(gold, predicted, strict=True))
    fn = sum(len(g - p) for g, p in zip(gold, predicted, strict=True))
    return 2 * tp / max(1, 2 * tp + fp + fn)


def _chosen(scores: np.ndarray, tests: list[str], threshold: float) -> list[set[str]]:
    return [{t for t, s in zip(tests, row, strict=True) if s >= threshold} for row in scores]


def _tuned(
    train_scores: np.ndarray, test_scores: np.ndarray, gold_train: list[set[str]], tests: list[str]
) -> tuple[float, list[set[str]]]:
    """The threshold that is best on the training rows' cross-validated scores, applied."""
    best = max(THRESHOLDS, key=lambda t: micro_f1(gold_train, _chosen(train_scores, tests, t)))
    return float(best), _chosen(test_scores, tests, float(best))


def _neighbours(similarity: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    nearest = np.argsort(-similarity, axis=1)[:, :k]
    votes = np.zeros((similarity.shape[0], labels.shape[1]))
    for i, idx in enumerate(nearest):
        weights = np.maximum(similarity[i, idx], 0) + 1e-9
        votes[i] = (weights[:, None] * labels[idx]).sum(0) / weights.sum()
    return votes


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    rows = _rows(Path(args[0]) if args else CORPUS)
    cut = int(len(rows) * 0.8)
    train, test = rows[:cut], rows[cut:]
    gold_train = [set(r["tests"]) for r in train]
    gold_test = [set(r["tests"]) for r in test]
    tests = sorted({t for g in gold_train for t in g if sum(t in h for h in gold_train) >= 4})
    labels = np.array([[t in g for t in tests] for g in gold_train], dtype=int)
    vectoriser = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    x_train = vectoriser.fit_transform([r["complaint_text"] for r in train])
    x_test = vectoriser.transform([r["complaint_text"] for r in test])
    folds = KFold(5, shuffle=True, random_state=0)
    print(f"temporal split: {len(train)} train, {len(test)} test; {len(tests)} reasons learnt")

    oracle = [
        {COMMONEST} if r["decision"] == "closed_after_initial_enquiries" else set() for r in test
    ]
    print(f"oracle outcome + commonest reason: micro-F1 {micro_f1(gold_test, oracle):.3f}")

    lr_train = np.zeros(labels.shape)
    lr_test = np.zeros((len(test), len(tests)))
    for j in range(len(tests)):
        model = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
        lr_train[:, j] = cross_val_predict(
            model, x_train, labels[:, j], cv=folds, method="predict_proba"
        )[:, 1]
        lr_test[:, j] = model.fit(x_train, labels[:, j]).predict_proba(x_test)[:, 1]
    learners: dict[str, tuple[np.ndarray, np.ndarray]] = {
        "logistic regression per reason": (lr_train, lr_test),
    }
    own = cosine_similarity(x_train)
    np.fill_diagonal(own, -1.0)  # a training row is not its own neighbour
    across = cosine_similarity(x_test, x_train)
    for k in (5, 10, 20):
        knn_train, knn_test = _neighbours(own, labels, k), _neighbours(across, labels, k)
        learners[f"{k} nearest neighbours"] = (knn_train, knn_test)
        learners[f"both averaged (k={k})"] = ((knn_train + lr_train) / 2, (knn_test + lr_test) / 2)
    for name, (train_scores, test_scores) in learners.items():
        threshold, chosen = _tuned(train_scores, test_scores, gold_train, tests)
        figure = micro_f1(gold_test, chosen)
        print(f"{name}: micro-F1 {figure:.3f} (threshold {threshold:.3f})")
    _two_stage(x_train, x_test, labels, gold_train, gold_test, tests, folds)


def _two_stage(
    x_train: Any,
    x_test: Any,
    labels: np.ndarray,
    gold_train: list[set[str]],
    gold_test: list[set[str]],
    tests: list[str],
    folds: KFold,
) -> None:
    """Gate (any reason given?) then shares (which, among decisions giving reasons)."""
    gives = (labels.sum(axis=1) > 0).astype(int)

    def fit(x: Any, y: np.ndarray, x_new: Any) -> tuple[np.ndarray, np.ndarray]:
        gate = LogisticRegression(C=1.0, max_iter=2000).fit(x, y.sum(axis=1) > 0)
        rows = np.flatnonzero(y.sum(axis=1) > 0)
        shares = np.zeros((x_new.shape[0], len(tests)))
        for j in range(len(tests)):
            column = y[rows, j]
            if column.min() == column.max():
                shares[:, j] = column[0]
                continue
            learner = LogisticRegression(C=1.0, max_iter=2000).fit(x[rows], column)
            shares[:, j] = learner.predict_proba(x_new)[:, 1]
        return gate.predict_proba(x_new)[:, 1], shares

    gate_train = np.zeros(len(gives))
    shares_train = np.zeros(labels.shape)
    for kept, held in folds.split(x_train):
        gate_train[held], shares_train[held] = fit(x_train[kept], labels[kept], x_train[held])
    gate_test, shares_test = fit(x_train, labels, x_test)

    def chosen(gate: np.ndarray, shares: np.ndarray, a: float, b: float) -> list[set[str]]:
        picked: list[set[str]] = []
        for g, row in zip(gate, shares, strict=True):
            order = np.argsort(-row, kind="stable")
            picked.append(
                {tests[order[0]]} | {tests[k] for k in order[1:] if row[k] >= b}
                if g >= a
                else set()
            )
        return picked

    grid = [(a, b) for a in THRESHOLDS for b in THRESHOLDS]
    a, b = max(grid, key=lambda ab: micro_f1(gold_train, chosen(gate_train, shares_train, *ab)))
    figure = micro_f1(gold_test, chosen(gate_test, shares_test, a, b))
    print(f"two stages (gate, then shares): micro-F1 {figure:.3f} (gate {a:.3f}, share {b:.3f})")
    commonest = [{COMMONEST} if g >= a else set() for g in gate_test]
    print(f"commonest reason past the same gate: micro-F1 {micro_f1(gold_test, commonest):.3f}")


if __name__ == "__main__":
    main()
