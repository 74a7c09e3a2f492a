"""``ombuds ingest``, ``search`` and ``stats`` end to end, through the real parser."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from ombuds.cli import corpus as corpus_cli

from .builders import FIXTURES

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    corpus_cli.register(app)
    return app


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "corpus.db"


def invoke(app: typer.Typer, *args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), env=env)


def ingest_fixtures(app: typer.Typer, db: Path) -> None:
    result = invoke(app, "ingest", str(FIXTURES), "--db", str(db))
    assert result.exit_code == 0, result.output


def search_json(app: typer.Typer, db: Path, *args: str) -> dict[str, Any]:
    result = invoke(app, "search", *args, "--json", "--db", str(db))
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_ingest_then_reingest_counts_unchanged_and_updated(
    app: typer.Typer, db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES, folder)
    first = invoke(app, "ingest", str(folder), "--db", str(db))
    assert first.exit_code == 0, first.output
    assert "added 6, updated 0, unchanged 0, rejected 0" in first.output

    noise = folder / "northmere_noise.txt"
    noise.write_text(noise.read_text().replace("barking dog", "barking dogs"))
    again = invoke(app, "ingest", str(folder), "--db", str(db))
    assert "added 0, updated 1, unchanged 5, rejected 0" in again.output

    stats = json.loads(invoke(app, "stats", "--json", "--db", str(db)).output)
    assert stats["total"] == 6  # nothing duplicated


def test_bad_files_are_rejected_the_rest_stored_and_exit_is_1(
    app: typer.Typer, db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES, folder)
    (folder / "shopping.txt").write_text("Eggs, flour, two lemons and a bag of porridge oats.\n")
    headless = (FIXTURES / "wilderby_parking.txt").read_text().split("\n", 1)[1]
    (folder / "headless.txt").write_text(headless)  # a statement that lost its reference line

    result = invoke(app, "ingest", str(folder), "--db", str(db), "--quiet")
    assert result.exit_code == 1
    assert "added 6, updated 0, unchanged 0, rejected 2" in result.output
    assert (
        "rejected " + str(folder / "shopping.txt") + ": not a decision statement" in result.output
    )
    assert "rejected " + str(folder / "headless.txt") + ": no case reference" in result.output
    assert search_json(app, db, "Valuation Tribunal")["hits"][0]["reference"] == "23 204 317"


def test_missing_path_is_a_usage_error(app: typer.Typer, db: Path) -> None:
    result = invoke(app, "ingest", "no/such/file.txt", "--db", str(db))
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_search_ranks_highlights_and_counts_facets(app: typer.Typer, db: Path) -> None:
    ingest_fixtures(app, db)
    data = search_json(app, db, "county court homelessness")
    assert data["hits"][0]["reference"] == "24 101 201"
    assert "<mark>" in data["hits"][0]["snippet"]
    hit = data["hits"][0]
    assert set(hit) >= {"reference", "organisation", "category", "decision", "decision_date"}
    assert set(hit) >= {"tests", "score", "snippet"}
    assert hit["decision_date"] == "2024-03-12"

    broad = search_json(app, db, "complained")
    assert broad["total"] == 6
    assert broad["facets"]["decision"] == {
        "closed_after_initial_enquiries": 4,
        "not_upheld": 1,
        "upheld": 1,
    }
    assert broad["facets"]["year"] == {"2024": 4, "2023": 2}
    assert sum(broad["facets"]["category"].values()) == 6
    scores = [h["score"] for h in broad["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_search_filters(app: typer.Typer, db: Path) -> None:
    ingest_fixtures(app, db)

    def refs(*args: str) -> list[str]:
        return [h["reference"] for h in search_json(app, db, *args)["hits"]]

    assert set(refs("council", "--organisation", "Northmere")) == {"23 618 774", "24 101 201"}
    assert refs("complained", "--category", "Education") == ["24 305 662"]
    assert refs("complained", "--decision", "upheld") == ["24 305 662"]
    in_late_2024 = refs("complained", "--since", "2024-06", "--until", "2024")
    assert set(in_late_2024) == {"24 305 662", "24 512 940"}
    tribunal = search_json(app, db, "appeal", "--test", "alternative_remedy_tribunal")
    assert "22 410 083" in [h["reference"] for h in tribunal["hits"]]
    assert all("alternative_remedy_tribunal" in h["tests"] for h in tribunal["hits"])


@pytest.mark.parametrize("typed", ["23 204 317", "23-204-317", "23204317"])
def test_reference_lookup_finds_that_case_first(app: typer.Typer, db: Path, typed: str) -> None:
    ingest_fixtures(app, db)
    data = search_json(app, db, f"{typed} tribunal")
    assert data["hits"][0]["reference"] == "23 204 317"
    assert data["hits"][0]["match"] == "reference"
    assert "22 410 083" in [h["reference"] for h in data["hits"][1:]]  # other tribunal cases
    alone = search_json(app, db, typed)
    assert [h["reference"] for h in alone["hits"]] == ["23 204 317"]


@pytest.mark.parametrize("bad", ["2024-13-01", "last week", "24/03/2024"])
def test_bad_dates_are_usage_errors(app: typer.Typer, db: Path, bad: str) -> None:
    result = invoke(app, "search", "tax", "--since", bad, "--db", str(db))
    assert result.exit_code == 2
    assert "is not a date" in result.output


def test_table_output_and_stats(app: typer.Typer, db: Path) -> None:
    ingest_fixtures(app, db)
    table = invoke(app, "search", "noise", "--db", str(db))
    assert table.exit_code == 0
    assert "23 618 774" in table.output and "Northmere" in table.output
    assert "decision" in table.output  # facet lines

    stats = json.loads(invoke(app, "stats", "--json", "--db", str(db)).output)
    assert stats["total"] == 6
    assert stats["organisation"]["Northmere District Council"] == 2
    assert stats["year"] == {"2023": 2, "2024": 4}
    assert stats["category"]["Housing > Homelessness"] == 1
    assert set(stats) == {"total", "decision", "category", "test", "organisation", "year"}
    assert "by organisation" in invoke(app, "stats", "--db", str(db)).output


def test_db_from_environment_variable(app: typer.Typer, tmp_path: Path) -> None:
    env_db = tmp_path / "from_env.db"
    env = {"OMBUDS_DB": str(env_db)}
    assert invoke(app, "ingest", str(FIXTURES), env=env).exit_code == 0
    assert env_db.exists()
    stats = json.loads(invoke(app, "stats", "--json", env=env).output)
    assert stats["total"] == 6
    # --db wins over the environment.
    other = tmp_path / "other.db"
    stats = json.loads(invoke(app, "stats", "--json", "--db", str(other), env=env).output)
    assert stats["total"] == 0


def test_default_db_is_ombuds_db_in_current_folder(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OMBUDS_DB", raising=False)
    assert invoke(app, "ingest", str(FIXTURES / "wilderby_parking.txt")).exit_code == 0
    assert (tmp_path / "ombuds.db").exists()


def test_commands_are_registered_on_the_ombuds_app(db: Path) -> None:
    from ombuds.cli.main import app as ombuds_app

    assert invoke(ombuds_app, "ingest", str(FIXTURES), "--db", str(db)).exit_code == 0
    result = invoke(ombuds_app, "search", "school transport", "--json", "--db", str(db))
    assert json.loads(result.output)["hits"][0]["reference"] == "24 305 662"


def test_unusable_db_path_is_a_usage_error(app: typer.Typer, tmp_path: Path) -> None:
    result = invoke(app, "stats", "--db", str(tmp_path / "nowhere" / "x.db"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_unknown_test_id_is_a_usage_error_naming_close_ids(app: typer.Typer, db: Path) -> None:
    ingest_fixtures(app, db)
    result = invoke(
        app, "search", "appeal", "--test", "alternative_remedy_tribnal", "--db", str(db)
    )
    assert result.exit_code == 2
    assert "is not a test id" in result.output
    assert "alternative_remedy_tribunal" in result.output  # the near miss is suggested


def test_index_folder_option_and_reindex(app: typer.Typer, tmp_path: Path) -> None:
    db, folder = tmp_path / "c.db", tmp_path / "search-index"
    args = ("--db", str(db), "--index", str(folder))
    assert invoke(app, "ingest", str(FIXTURES), *args).exit_code == 0
    assert (folder / "meta.json").exists()
    assert not (tmp_path / "c.db.index").exists()
    assert search_json(app, db, "Valuation Tribunal", "--index", str(folder))["total"] == 1

    shutil.rmtree(folder)
    result = invoke(app, "search", "Valuation Tribunal", "--json", *args)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["hits"][0]["reference"] == "23 204 317"
    assert "rebuilt" in result.stderr and "6 decisions" in result.stderr

    reindexed = invoke(app, "reindex", *args)
    assert reindexed.exit_code == 0
    assert "indexed 6 decisions" in reindexed.output
    env = {"OMBUDS_INDEX": str(folder)}
    from_env = invoke(app, "search", "Valuation Tribunal", "--json", "--db", str(db), env=env)
    assert json.loads(from_env.stdout)["total"] == 1
    assert not (tmp_path / "c.db.index").exists()


def test_index_folder_that_is_not_an_index_is_an_error(app: typer.Typer, tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "cat.jpg").write_bytes(b"\xff\xd8")
    result = invoke(
        app, "ingest", str(FIXTURES), "--db", str(tmp_path / "c.db"), "--index", str(folder)
    )
    assert result.exit_code == 1
    assert "not an ombuds search index" in result.output
    assert (folder / "cat.jpg").exists()
