"""Does a learned classifier beat the phrase rules on held-out folds? (It did not: see below.)

    pip install scikit-learn        # only for this experiment; not a dependency of ombuds
    python benchmarks/reasons_classifier.py [../shared/corpus/dev.jsonl]

Per test, a TF-IDF (words and word pairs) logistic regression is trained on the reason-bearing
sections of the development rows in the training folds only, then used with the rules on the
held-out fold: "union" adds a test the classifier is sure of (probability above the
threshold), "veto" drops a rule's test the classifier doubts. Folds are those of
``ombuds evaluate --folds 5``. On the development corpus (December 2026) the rules alone
gave micro-F1 0.915 (mean of 5 folds); every union lost precision without gaining recall
(0.900 at 0.6, 0.913 at 0.8, 0.915 at 0.9: nothing added) and every veto lost recall (0.887 at
0.1), so the reader keeps its rules and ships no model.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from ombuds.reading.crossval import fold_of
from ombuds.reading.patterns import load_patterns
from ombuds.reading.sources import Parsed, parse_one

K = 5
MODES = [("rules", 0.0), ("union", 0.6), ("union", 0.8), ("union", 0.9), ("veto", 0.1)]


def main() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    path = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/dev.jsonl")
    patterns = load_patterns()
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    texts, gold, rules, folds = [], [], [], []
    for row in rows:
        result = parse_one(row["text"], row.get("url"), "dev")
        record = result.record if isinstance(result, Parsed) else None
        sections = record.sections if record else {}
        texts.append(" ".join(sections.get(k) or "" for k in patterns.reason_sections).lower())
        gold.append(set(row.get("tests") or []))
        rules.append(set(record.tests) if record else set())
        folds.append(fold_of(row["reference"], K))
    names = sorted(set().union(*gold))
    for mode, threshold in MODES:
        predicted = [set(r) for r in rules]
        for fold in range(K) if mode != "rules" else ():
            train = [i for i, f in enumerate(folds) if f != fold]
            test = [i for i, f in enumerate(folds) if f == fold]
            vectoriser = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
            x_train = vectoriser.fit_transform([texts[i] for i in train])
            x_test = vectoriser.transform([texts[i] for i in test])
            for name in names:
                y = [name in gold[i] for i in train]
                if sum(y) < 3:
                    continue
                model = LogisticRegression(C=4, max_iter=2000, class_weight="balanced")
                probability = model.fit(x_train, y).predict_proba(x_test)[:, 1]
                for i, p in zip(test, probability, strict=True):
                    if mode == "union" and p > threshold:
                        predicted[i].add(name)
                    if mode == "veto" and p < threshold:
                        predicted[i].discard(name)
        per_fold = []
        for fold in range(K):
            idx = [i for i, f in enumerate(folds) if f == fold]
            tp = sum(len(predicted[i] & gold[i]) for i in idx)
            fp = sum(len(predicted[i] - gold[i]) for i in idx)
            fn = sum(len(gold[i] - predicted[i]) for i in idx)
            per_fold.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
        print(
            json.dumps(
                {
                    "mode": mode,
                    "threshold": threshold,
                    "micro_f1_mean": round(statistics.fmean(per_fold), 4),
                    "micro_f1_sd": round(statistics.stdev(per_fold), 4),
                    "folds": [round(f, 4) for f in per_fold],
                }
            )
        )


if __name__ == "__main__":
    main()
