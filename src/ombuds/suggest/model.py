"""The suggestion model: from a complaint as written to the likely outcome and reasons.

Inputs are the complaint's own words (the "The complaint" section of a published decision
when training). Features: TF-IDF of words and word pairs, plus cue counts from the rulebook's
cue file (phrases tied to the Assessment Code tests: "tribunal", "parking", "subject access",
"school admission"...), plus a few measures of how the complaint is written (length, how many
points). Learners: a multinomial logistic regression for the outcome (classes weighted by
their rarity, so the uncommon outcomes are not drowned by the common one), and one logistic
regression per test seen often enough, each with the decision threshold that maximised the
reasons' micro-F1 in cross-validation on the training data alone.

The model is saved as a compressed NumPy archive (no pickle: loading a model file runs no
code) holding the vocabulary, the weights and a JSON header.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray

OUTCOMES = ("closed_after_initial_enquiries", "upheld", "not_upheld")
FORMAT = "ombuds-suggest-model"
FORMAT_VERSION = 1
MIN_TEST_EXAMPLES = 4
CUES_FILE = Path(__file__).resolve().parents[1] / "rulebook" / "schemes" / "lgsco" / "cues.yaml"

DEFAULT_MODEL = "default_model.npz"

Matrix = Any  # scipy.sparse matrix (scipy ships no type stubs)


def default_model_path() -> Path:
    """The model shipped in the package (trained on the development corpus; see README)."""
    return Path(__file__).resolve().parent / DEFAULT_MODEL


class ModelError(RuntimeError):
    """A model file cannot be read, or a model cannot be trained from the data given."""


@dataclass(frozen=True)
class Example:
    """One labelled complaint: its text, and how the decision ended and why."""

    reference: str
    text: str
    decision: str
    tests: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prediction:
    outcome: dict[str, float]
    tests: dict[str, float]
    selected: tuple[str, ...]

    @property
    def decision(self) -> str:
        return max(self.outcome, key=lambda k: self.outcome[k])


@dataclass(frozen=True)
class Settings:
    """What a training run chooses; part of the saved model, so retraining is reproducible."""

    ngram_max: int = 2
    min_df: int = 2
    outcome_c: float = 4.0
    tests_c: float = 4.0
    cues: bool = True
    style: bool = True
    folds: int = 5

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@cache
def load_cues(path: Path = CUES_FILE) -> dict[str, tuple[re.Pattern[str], ...]]:
    """Cue phrases per test id, compiled once (word-bounded, case-insensitive, no backtracking)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cues: dict[str, tuple[re.Pattern[str], ...]] = {}
    for test_id, phrases in (raw.get("cues") or {}).items():
        cues[str(test_id)] = tuple(
            re.compile(r"\b" + re.escape(str(p)).replace(r"\ ", r"\s+") + r"\b", re.IGNORECASE)
            for p in phrases
        )
    return cues


def style_features(text: str) -> list[float]:
    """How the complaint is written: its length and how many points or paragraphs it has."""
    words = len(text.split())
    lines = [line for line in text.splitlines() if line.strip()]
    return [np.log1p(words) / 6.0, min(len(lines), 10) / 10.0]


def cue_features(text: str, cue_ids: Sequence[str]) -> list[float]:
    cues = load_cues()
    return [min(sum(1 for p in cues[t] if p.search(text)), 3) / 3.0 for t in cue_ids]


@dataclass
class SuggestModel:
    """A trained model; ``predict`` needs only NumPy, SciPy and scikit-learn's vectoriser."""

    settings: Settings
    vocabulary: list[str]
    idf: NDArray[np.float64]
    cue_ids: list[str]
    outcome_classes: list[str]
    outcome_coef: NDArray[np.float64]
    outcome_intercept: NDArray[np.float64]
    test_ids: list[str]
    test_coef: NDArray[np.float64]
    test_intercept: NDArray[np.float64]
    threshold: float
    trained_on: dict[str, Any] = field(default_factory=dict)
    _vectorizer: Any = None

    def _lookup(self) -> dict[str, int]:
        if self._vectorizer is None:
            self._vectorizer = {w: i for i, w in enumerate(self.vocabulary)}
        lookup: dict[str, int] = self._vectorizer
        return lookup

    def features(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """The feature matrix, computed in NumPy (no scikit-learn import when predicting).

        Matches scikit-learn's ``TfidfVectorizer`` as trained (same tokens, n-grams,
        sublinear term frequency, idf and L2 norm), then the style and cue columns.
        """
        lookup = self._lookup()
        rows = np.zeros((len(texts), len(self.vocabulary)), dtype=np.float64)
        for row, text in enumerate(texts):
            counts: dict[int, int] = {}
            for gram in _ngrams(text, self.settings.ngram_max):
                index = lookup.get(gram)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            if counts:
                indices = np.fromiter(counts, dtype=np.int64)
                values = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))
                values *= self.idf[indices]
                rows[row, indices] = values / np.linalg.norm(values)
        extra = _extra_features(texts, self.settings, self.cue_ids)
        return np.hstack([rows, extra]) if extra.shape[1] else rows

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        if not texts:
            return []
        x = self.features(texts)
        outcome = _softmax(x @ self.outcome_coef.T + self.outcome_intercept)
        if self.test_ids:
            tests = _sigmoid(x @ self.test_coef.T + self.test_intercept)
        else:
            tests = np.zeros((len(texts), 0))
        predictions = []
        for row in range(len(texts)):
            probs = {c: float(outcome[row, i]) for i, c in enumerate(self.outcome_classes)}
            for c in OUTCOMES:
                probs.setdefault(c, 0.0)
            test_p = {t: float(tests[row, i]) for i, t in enumerate(self.test_ids)}
            ranked = sorted(test_p, key=lambda t: (-test_p[t], t))
            selected = tuple(t for t in ranked if test_p[t] >= self.threshold)
            predictions.append(Prediction(probs, dict((t, test_p[t]) for t in ranked), selected))
        return predictions

    def save(self, path: Path) -> None:
        header = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "settings": self.settings.to_json(),
            "cue_ids": self.cue_ids,
            "outcome_classes": self.outcome_classes,
            "test_ids": self.test_ids,
            "threshold": self.threshold,
            "trained_on": self.trained_on,
        }
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            header=np.array(json.dumps(header, sort_keys=True)),
            vocabulary=np.array(self.vocabulary, dtype=np.str_),
            idf=self.idf.astype(np.float32),
            outcome_coef=self.outcome_coef.astype(np.float32),
            outcome_intercept=self.outcome_intercept.astype(np.float32),
            test_coef=self.test_coef.astype(np.float32),
            test_intercept=self.test_intercept.astype(np.float32),
        )
        path.write_bytes(buffer.getvalue())

    @classmethod
    def load(cls, path: Path) -> SuggestModel:
        try:
            with np.load(path, allow_pickle=False) as archive:
                header = json.loads(str(archive["header"]))
                if header.get("format") != FORMAT or header.get("version") != FORMAT_VERSION:
                    raise ModelError(
                        f"{path}: not an ombuds suggestion model of version {FORMAT_VERSION}; "
                        "train one with `ombuds train -o MODEL`"
                    )
                return cls(
                    settings=Settings(**header["settings"]),
                    vocabulary=[str(w) for w in archive["vocabulary"]],
                    idf=archive["idf"].astype(np.float64),
                    cue_ids=list(header["cue_ids"]),
                    outcome_classes=list(header["outcome_classes"]),
                    outcome_coef=archive["outcome_coef"].astype(np.float64),
                    outcome_intercept=archive["outcome_intercept"].astype(np.float64),
                    test_ids=list(header["test_ids"]),
                    test_coef=archive["test_coef"].astype(np.float64),
                    test_intercept=archive["test_intercept"].astype(np.float64),
                    threshold=float(header["threshold"]),
                    trained_on=dict(header.get("trained_on") or {}),
                )
        except ModelError:
            raise
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(
                f"{path}: cannot read the suggestion model ({exc}); retrain it with "
                "`ombuds train -o MODEL`"
            ) from exc


def _softmax(z: NDArray[np.float64]) -> NDArray[np.float64]:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def _sigmoid(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))


def _vectorizer(settings: Settings) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        ngram_range=(1, settings.ngram_max),
        min_df=settings.min_df,
        sublinear_tf=True,
        strip_accents="unicode",
        dtype=np.float64,
    )


_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def _ngrams(text: str, ngram_max: int) -> list[str]:
    """Words and word n-grams as scikit-learn's vectoriser makes them (accents stripped)."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    tokens = _TOKEN.findall(folded)
    grams = list(tokens)
    for n in range(2, ngram_max + 1):
        grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def _extra_features(
    texts: Sequence[str], settings: Settings, cue_ids: Sequence[str]
) -> NDArray[np.float64]:
    extra: list[list[float]] = [[] for _ in texts]
    if settings.style:
        for row, text in enumerate(texts):
            extra[row] += style_features(text)
    if settings.cues and cue_ids:
        for row, text in enumerate(texts):
            extra[row] += cue_features(text, cue_ids)
    return np.array(extra, dtype=np.float64).reshape(len(texts), -1)


def _features(
    vectorizer: Any, texts: Sequence[str], settings: Settings, cue_ids: Sequence[str]
) -> Matrix:
    """Training features: scikit-learn's sparse TF-IDF, then the style and cue columns."""
    from scipy.sparse import csr_matrix, hstack

    blocks = [vectorizer.transform(list(texts))]
    extra = _extra_features(texts, settings, cue_ids)
    if extra.shape[1]:
        blocks.append(csr_matrix(extra))
    return hstack(blocks).tocsr()


def _fit_tests(
    x: Matrix, labels: list[tuple[str, ...]], test_ids: list[str], c: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    from sklearn.linear_model import LogisticRegression

    coefs, intercepts = [], []
    for test_id in test_ids:
        y = np.array([test_id in tests for tests in labels], dtype=int)
        if y.min() == y.max():  # a fold without (or with only) this reason: a constant guess
            coefs.append(np.zeros(x.shape[1]))
            intercepts.append(-30.0 if y.max() == 0 else 30.0)
            continue
        learner = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
        learner.fit(x, y)
        coefs.append(learner.coef_[0])
        intercepts.append(learner.intercept_[0])
    width = x.shape[1]
    if not coefs:
        return np.zeros((0, width)), np.zeros(0)
    return np.vstack(coefs), np.array(intercepts)


def _best_threshold(probabilities: NDArray[np.float64], truth: NDArray[np.int_]) -> float:
    """The threshold on the reasons' probabilities that gives the best micro-F1."""
    best, best_f1 = 0.5, -1.0
    for threshold in np.arange(0.20, 0.96, 0.025):
        predicted = probabilities >= threshold
        tp = int((predicted & (truth == 1)).sum())
        fp = int((predicted & (truth == 0)).sum())
        fn = int((~predicted & (truth == 1)).sum())
        f1 = 2 * tp / max(1, 2 * tp + fp + fn)
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(threshold), f1
    return round(best, 3)


def train(examples: Sequence[Example], settings: Settings | None = None) -> SuggestModel:
    """Fit the model; deterministic for the same examples in the same order."""
    from sklearn.linear_model import LogisticRegression

    settings = settings or Settings()
    usable = [e for e in examples if e.decision in OUTCOMES and e.text.strip()]
    classes = sorted({e.decision for e in usable})
    if len(usable) < 10 or len(classes) < 2:
        raise ModelError(
            "need at least 10 decisions with a complaint section and two different outcomes to "
            f"train (found {len(usable)} usable, outcomes {classes or 'none'}); "
            "ingest more decisions"
        )
    texts = [e.text for e in usable]
    counts: dict[str, int] = {}
    for e in usable:
        for t in set(e.tests):
            counts[t] = counts.get(t, 0) + 1
    test_ids = sorted(t for t, n in counts.items() if n >= MIN_TEST_EXAMPLES)
    cue_ids = sorted(load_cues()) if settings.cues else []
    vectorizer = _vectorizer(settings)
    vectorizer.fit(texts)
    x = _features(vectorizer, texts, settings, cue_ids)
    y = [e.decision for e in usable]
    outcome = LogisticRegression(C=settings.outcome_c, class_weight="balanced", max_iter=3000)
    outcome.fit(x, y)
    coef, intercept = np.asarray(outcome.coef_), np.asarray(outcome.intercept_)
    if len(outcome.classes_) == 2:  # binary: softmax over (0, w) is the sigmoid of w
        coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
        intercept = np.array([0.0, intercept[0]])
    labels = [tuple(e.tests) for e in usable]
    threshold = _cross_validated_threshold(x, labels, test_ids, settings)
    test_coef, test_intercept = _fit_tests(x, labels, test_ids, settings.tests_c)
    vocabulary = [""] * len(vectorizer.vocabulary_)
    for word, index in vectorizer.vocabulary_.items():
        vocabulary[index] = word
    return SuggestModel(
        settings=settings,
        vocabulary=vocabulary,
        idf=np.asarray(vectorizer.idf_, dtype=np.float64),
        cue_ids=cue_ids,
        outcome_classes=[str(c) for c in outcome.classes_],
        outcome_coef=np.asarray(coef, dtype=np.float64),
        outcome_intercept=np.asarray(intercept, dtype=np.float64),
        test_ids=test_ids,
        test_coef=test_coef,
        test_intercept=test_intercept,
        threshold=threshold,
        trained_on={"decisions": len(usable), "outcomes": {c: y.count(c) for c in classes}},
    )


def _cross_validated_threshold(
    x: Matrix, labels: list[tuple[str, ...]], test_ids: list[str], settings: Settings
) -> float:
    """Pick the reasons' threshold on out-of-fold probabilities of the training data."""
    if not test_ids:
        return 0.5
    n = x.shape[0]
    folds = max(2, min(settings.folds, n // 5))
    order = np.arange(n)
    probabilities = np.zeros((n, len(test_ids)))
    for fold in range(folds):
        held = order % folds == fold
        coef, intercept = _fit_tests(
            x[~held], [labels[i] for i in order[~held]], test_ids, settings.tests_c
        )
        probabilities[held] = _sigmoid(np.asarray(x[held] @ coef.T) + intercept)
    truth = np.array([[int(t in labels[i]) for t in test_ids] for i in range(n)])
    return _best_threshold(probabilities, truth)
