"""The suggestion model: learns outcome and reasons from complaints, saves and loads safely,
retrains to the same predictions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ombuds.corpus.store import open_store
from ombuds.suggest.model import Example, ModelError, SuggestModel, default_model_path, train
from ombuds.suggest.training import stored_examples

PARKING = "Mr Q complains he got a penalty charge notice and wants the parking fine cancelled."
PLANNING = "Mrs R complains the Council granted planning permission for a neighbour's extension."
CHARGING = (
    "1. Ms S complained the Council delayed the financial assessment for her father's "
    "residential care charges.\n2. She said this caused debt."
)


def test_learns_outcome_and_reasons_from_the_complaint(model: SuggestModel) -> None:
    parking, planning, charging = model.predict([PARKING, PLANNING, CHARGING])
    assert parking.decision == "closed_after_initial_enquiries"
    assert parking.selected[:1] == ("alternative_remedy_tribunal",)
    assert planning.selected[:1] == ("insufficient_evidence_of_fault",)
    assert charging.decision == "upheld"
    assert charging.selected == ()
    for p in (parking, planning, charging):
        assert sum(p.outcome.values()) == pytest.approx(1.0)
        assert set(p.outcome) == {"closed_after_initial_enquiries", "upheld", "not_upheld"}


def test_saved_model_loads_to_the_same_predictions(model: SuggestModel, tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = SuggestModel.load(path)
    before = model.predict([PARKING, CHARGING])
    after = loaded.predict([PARKING, CHARGING])
    for a, b in zip(before, after, strict=True):
        assert a.selected == b.selected
        for key in a.outcome:
            assert a.outcome[key] == pytest.approx(b.outcome[key], abs=1e-4)


def test_retraining_on_the_same_data_gives_the_same_model(corpus_db: Path, tmp_path: Path) -> None:
    store = open_store(corpus_db)
    try:
        examples = list(stored_examples(store))
    finally:
        store.close()
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    train(examples).save(first)
    train(examples).save(second)
    assert first.read_bytes() == second.read_bytes()


def test_a_file_that_is_not_a_model_is_refused_with_the_way_out(tmp_path: Path) -> None:
    bogus = tmp_path / "model.npz"
    bogus.write_text("not a model")
    with pytest.raises(ModelError, match=r"model\.npz.*ombuds train"):
        SuggestModel.load(bogus)
    other = tmp_path / "other.npz"
    np.savez(other, header=np.array(json.dumps({"format": "something-else"})))
    with pytest.raises(ModelError, match="not an ombuds suggestion model"):
        SuggestModel.load(other)


def test_too_little_data_to_train_says_what_to_do() -> None:
    few = [Example(f"24 000 00{i}", "Mr X complains.", "upheld") for i in range(3)]
    with pytest.raises(ModelError, match="ingest more decisions"):
        train(few)


DEV = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev.jsonl"


@pytest.mark.slow
@pytest.mark.skipif(not DEV.is_file(), reason="the development corpus is not beside the repo")
def test_shipped_model_is_what_the_readme_command_trains(tmp_path: Path) -> None:
    """`ombuds ingest dev.jsonl` then `ombuds train -o` reproduces the packaged model."""
    from ombuds.corpus.ingest import ingest
    from ombuds.reading.sources import iter_records

    store = open_store(tmp_path / "dev.db")
    try:
        ingest(store, iter_records([str(DEV)]))
        retrained = train(list(stored_examples(store)))
    finally:
        store.close()
    shipped = SuggestModel.load(default_model_path())
    texts = [PARKING, PLANNING, CHARGING, "Mr T complains about his council tax bill."]
    for a, b in zip(shipped.predict(texts), retrained.predict(texts), strict=True):
        assert a.selected == b.selected
        assert a.decision == b.decision
        for key in a.outcome:
            assert a.outcome[key] == pytest.approx(b.outcome[key], abs=1e-4)


def test_prediction_features_match_scikit_learns_vectoriser(model: SuggestModel) -> None:
    """Predicting needs no scikit-learn; its TF-IDF must equal the one trained with."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        ngram_range=(1, model.settings.ngram_max),
        sublinear_tf=True,
        strip_accents="unicode",
        vocabulary={w: i for i, w in enumerate(model.vocabulary)},
    )
    vectorizer.idf_ = model.idf
    texts = [PARKING, CHARGING, "Crème brûlée café: the Council's naïve reply, twice twice."]
    expected = vectorizer.transform(texts).toarray()
    ours = model.features(texts)[:, : len(model.vocabulary)]
    assert np.allclose(ours, expected, atol=1e-9)
