"""Hostile search input, read-only corpora and damaged indexes (issue 10's probes).

A long --organisation used to end in Tantivy's "Compiled regex exceeds size limit" traceback;
search and stats failed on a read-only database; deleting the index marker file left search
and reindex both failing. Each is reproduced here and now holds.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ombuds.cli import corpus as corpus_cli
from ombuds.corpus import readonly as readonly_module
from ombuds.corpus.criteria import organisation_query
from ombuds.corpus.ingest import ingest
from ombuds.corpus.search import SearchFilters, search
from ombuds.corpus.store import Store, open_store
from ombuds.limits import MAX_FILTER_CHARS

from .builders import FIXTURES, Decision

runner = CliRunner()
LONG_NAME = "The " + " ".join(["Very Long Named Joint Board of Ryedale Testshire"] * 5)
assert 200 < len(LONG_NAME) <= MAX_FILTER_CHARS


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    corpus_cli.register(app)
    return app


def invoke(app: typer.Typer, *args: str) -> Any:
    return runner.invoke(app, list(args))


@pytest.fixture
def corpus(tmp_path: Path, app: typer.Typer) -> Path:
    db = tmp_path / "corpus.db"
    result = invoke(app, "ingest", "-q", str(FIXTURES), "--db", str(db))
    assert result.exit_code == 0, result.output
    return db


def _search(app: typer.Typer, db: Path, *args: str) -> dict[str, Any]:
    result = invoke(app, "search", *args, "--json", "--db", str(db))
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# --- filters -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["a" * 400, "é" * 1_000, "x" * 100_000])
def test_over_long_organisation_is_a_usage_error(
    app: typer.Typer, corpus: Path, value: str
) -> None:
    result = invoke(app, "search", "noise", "--organisation", value, "--db", str(corpus))
    assert result.exit_code == 2
    assert f"at most {MAX_FILTER_CHARS}" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("value", ["a" * 300, "é" * 300, "\U0001f600" * 300, "[(.*" * 75])
def test_long_organisation_within_the_limit_searches(
    app: typer.Typer, corpus: Path, value: str
) -> None:
    """Values Tantivy's regex compiler refused outright now run (and match nothing here)."""
    assert _search(app, corpus, "noise", "--organisation", value)["total"] == 0


def test_long_organisation_name_is_found_by_its_whole_name(store: Store) -> None:
    ingest(
        store,
        [
            Decision("24 000 001", "A noise complaint.", organisation=LONG_NAME).parsed("a.txt"),
            Decision("24 000 002", "A noise complaint.").parsed("b.txt"),
        ],
    )
    found = search(store, "noise", SearchFilters(organisation=LONG_NAME.upper()))
    assert [hit.reference for hit in found.hits] == ["24 000 001"]
    other = search(store, "noise", SearchFilters(organisation=LONG_NAME[:-1] + "X"))
    assert other.total == 0


def test_over_long_query_is_a_usage_error(app: typer.Typer, corpus: Path) -> None:
    result = invoke(app, "search", "noise " * 1_000, "--db", str(corpus))
    assert result.exit_code == 2
    assert "a query may have at most" in result.output


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=MAX_FILTER_CHARS))
def test_any_organisation_value_builds_a_query(value: str) -> None:
    """Every value within the limit gives a query; none raises the regex size error."""
    if value.strip():
        assert organisation_query(value) is not None


# --- read-only databases -------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_read_only_database_is_searched_without_writing(
    app: typer.Typer, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the store sees a file it may not write (mode 0444 for a non-root user)."""
    real_access = os.access
    monkeypatch.setattr(
        readonly_module.os,
        "access",
        lambda path, mode: False if mode == os.W_OK else real_access(path, mode),
    )
    sqlite3.connect(corpus).execute("UPDATE corpus_state SET generation = generation + 1")
    before = _snapshot(corpus.parent)
    store = open_store(corpus)
    try:
        assert store.read_only
        with pytest.raises(Exception, match="readonly"), store.begin() as conn:
            conn.exec_driver_sql("DELETE FROM decision")
    finally:
        store.close()
    assert _search(app, corpus, "noise")["total"] >= 1
    result = invoke(app, "stats", "--json", "--db", str(corpus))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 6
    assert _snapshot(corpus.parent).keys() >= before.keys()
    assert (corpus.parent / "corpus.db").read_bytes() == before["corpus.db"]


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder another user can reach (pytest's own tmp folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="ombuds-ro-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder)


def _as_another_user(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from ombuds.cli.main import app; app()", *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")  # util-linux; drops root to 'nobody' for real
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot test as another user")
        command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=300, check=False, cwd="/"
    )


def test_read_only_copy_as_another_user(app: typer.Typer, shared_folder: Path) -> None:
    """The real thing: files 0444, folders 0555, searched and counted by a user who cannot
    write them (root drops to 'nobody'), with the index first current, then stale."""
    if _as_another_user("--help").returncode != 0:
        pytest.skip("the package is not readable by an unprivileged user here")
    db = shared_folder / "corpus.db"
    assert invoke(app, "ingest", "-q", str(FIXTURES), "--db", str(db)).exit_code == 0
    for stale in (False, True):
        if stale:
            shared_folder.chmod(0o755)
            db.chmod(0o644)
            sqlite3.connect(db).execute("UPDATE corpus_state SET generation = generation + 1")
        for path in [db, *shared_folder.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        shared_folder.chmod(0o555)
        before = _snapshot(shared_folder)
        found = _as_another_user("search", "noise", "--json", "--db", str(db))
        assert found.returncode == 0, found.stderr
        assert json.loads(found.stdout)["total"] >= 1
        counted = _as_another_user("stats", "--json", "--db", str(db))
        assert counted.returncode == 0, counted.stderr
        assert json.loads(counted.stdout)["total"] == 6
        refused = _as_another_user("reindex", "--db", str(db))
        assert refused.returncode == 1
        assert "cannot be written here" in refused.stderr
        assert _snapshot(shared_folder) == before


# --- damaged indexes -----------------------------------------------------------------------


def _damage(index: Path, pattern: str, how: str) -> None:
    targets = sorted(index.glob(pattern))
    assert targets, f"no {pattern} in {index}"
    for target in targets:
        if how == "delete":
            target.unlink()
        elif how == "truncate":
            target.write_bytes(b"")
        else:
            target.write_bytes(b"\xb6\x00garbage" * 64)


@pytest.mark.parametrize(
    ("pattern", "how", "first"),
    [
        ("OMBUDS_INDEX", "delete", "search"),
        ("OMBUDS_INDEX", "delete", "reindex"),
        ("OMBUDS_INDEX", "garbage", "search"),
        ("meta.json", "delete", "search"),
        ("meta.json", "garbage", "reindex"),
        (".managed.json", "delete", "search"),
        ("*.pos", "delete", "search"),
        ("*.pos", "delete", "reindex"),
        ("*.store", "garbage", "search"),
        ("*.term", "truncate", "search"),
        ("*.fast", "delete", "search"),
        ("*.idx", "garbage", "reindex"),
    ],
)
def test_damaged_index_is_rebuilt(
    app: typer.Typer, corpus: Path, pattern: str, how: str, first: str
) -> None:
    _damage(corpus.with_name("corpus.db.index"), pattern, how)
    if first == "reindex":
        result = invoke(app, "reindex", "--db", str(corpus))
        assert result.exit_code == 0, result.output
    assert _search(app, corpus, "noise")["total"] >= 1
    assert invoke(app, "reindex", "--db", str(corpus)).exit_code == 0
    assert _search(app, corpus, "council")["total"] == 6


def test_a_folder_of_other_files_is_still_never_cleared(app: typer.Typer, corpus: Path) -> None:
    index = corpus.with_name("corpus.db.index")
    (index / "OMBUDS_INDEX").unlink()
    (index / "my-notes.txt").write_text("keep me", encoding="utf-8")
    result = invoke(app, "search", "noise", "--db", str(corpus))
    assert result.exit_code == 1
    assert "not an ombuds search index" in result.output
    assert (index / "my-notes.txt").read_text(encoding="utf-8") == "keep me"


# --- text that cannot be stored ---------------------------------------------------------------


def test_lone_surrogate_is_rejected_by_ingest_the_rest_stored(
    app: typer.Typer, tmp_path: Path
) -> None:
    text = (FIXTURES / "northmere_noise.txt").read_text(encoding="utf-8")
    lines = tmp_path / "rows.jsonl"
    lines.write_text(
        json.dumps({"text": text.replace("noise", "noise \ud800", 1)})
        + "\n"
        + json.dumps({"text": (FIXTURES / "wilderby_parking.txt").read_text(encoding="utf-8")})
        + "\n",
        encoding="ascii",
    )
    db = tmp_path / "c.db"
    result = invoke(app, "ingest", "-q", str(lines), "--db", str(db))
    assert result.exit_code == 1
    assert f"rejected {lines}:1: the decision holds a lone surrogate" in result.output
    assert "added 1" in result.output


def test_another_tools_lone_meta_json_is_not_taken_for_an_index(
    app: typer.Typer, tmp_path: Path
) -> None:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "meta.json").write_text('{"mine": true}', encoding="utf-8")
    db = tmp_path / "c.db"
    result = invoke(app, "ingest", "-q", str(FIXTURES), "--db", str(db), "--index", str(folder))
    assert result.exit_code == 1
    assert "not an ombuds search index" in result.output
    assert (folder / "meta.json").read_text(encoding="utf-8") == '{"mine": true}'
