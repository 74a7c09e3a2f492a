"""The corpus on PostgreSQL, end to end: the README says it works there, and this shows it.

Each module run starts a throwaway PostgreSQL cluster (``initdb`` + ``pg_ctl``) in a temporary
folder, listening only on a Unix socket inside that folder, so no running service, port or
password is needed, only the server binaries. Each test gets a fresh database in it. The tests
go through the ``ombuds`` commands (CliRunner) on the invented decisions in ``fixtures/``.

The module is skipped when no server binaries are installed (Debian: ``apt-get install
postgresql``). CI installs them and sets ``OMBUDS_REQUIRE_POSTGRES=1``, which turns that skip
into a failure so these tests can never silently stop running there.
"""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, DateTime, create_engine, inspect, text
from sqlalchemy.engine import Engine, make_url
from typer.testing import CliRunner, Result

from ombuds.cli.main import app
from ombuds.corpus.ingest import ingest
from ombuds.corpus.store import (
    StoreError,
    create_store_engine,
    current_revision,
    downgrade,
    head_revision,
    open_store,
    upgrade,
)

from .builders import FIXTURES, Decision

REQUIRE_ENV = "OMBUDS_REQUIRE_POSTGRES"
SERVER_TOOLS = ("initdb", "pg_ctl", "postgres")
SERVER_USER = "postgres"  # PostgreSQL refuses to run as root; Debian's package creates this user
ROLE = "ombuds"
TABLES = {"decision", "decision_test", "citation", "remedy", "corpus_state", "alembic_version"}
# The casework service's tables share the database and the migration history (0003).
TABLES |= {"app_user", "credential", "login_failure", "case_file", "audit_event"}
NO_SERVER = (
    "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in "
    "/usr/lib/postgresql/*/bin or on PATH; install them (Debian: apt-get install postgresql) "
    "to run the PostgreSQL tests"
)

runner = CliRunner()


def _version(folder: Path) -> tuple[int, ...]:
    """(15,) for /usr/lib/postgresql/15/bin, so the newest installed server is preferred."""
    return tuple(int(n) for n in re.findall(r"\d+", folder.parent.name))


def server_binaries() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres: Debian's versioned folders, then PATH."""
    candidates = sorted(
        (Path(found) for found in glob.glob("/usr/lib/postgresql/*/bin")), key=_version
    )[::-1]
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)  # /usr/local/bin links resolve too
    for folder in candidates:
        if all((folder / tool).is_file() for tool in SERVER_TOOLS):
            return folder
    return None


BINDIR = server_binaries()
if BINDIR is None and not os.environ.get(REQUIRE_ENV):
    pytest.skip(NO_SERVER, allow_module_level=True)


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _as_server_user(argv: list[str]) -> list[str]:
    """The command, run as the ``postgres`` user when we are root (the server refuses root)."""
    if not _running_as_root():
        return argv
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", SERVER_USER, "--", *argv]
    su = shutil.which("su")
    if su is None:
        pytest.fail("running as root, but neither runuser nor su is available", pytrace=False)
    return [su, SERVER_USER, "-s", "/bin/sh", "-c", shlex.join(argv)]


@dataclass(frozen=True)
class Cluster:
    """A running throwaway server: its folder (data, log and Unix socket) and binaries."""

    folder: Path
    bindir: Path

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def url(self, database: str, password: str | None = None) -> str:
        """The SQLAlchemy URL a user would give ``--db``, over the socket in ``folder``."""
        user = f"{ROLE}:{password}" if password else ROLE
        return f"postgresql+psycopg://{user}@/{database}?host={self.folder}"

    def run(self, tool: str, *args: str) -> None:
        """Run a server tool as the server's user; fail the tests with its output if it fails."""
        argv = _as_server_user([str(self.bindir / tool), *args])
        done = subprocess.run(
            argv, cwd=self.folder, capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            pytest.fail(
                f"{shlex.join(argv)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n"
                f"server log:\n{log}",
                pytrace=False,
            )

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URL."""
        engine = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        return self.url(name)


def _private_folder() -> Path:
    """A new folder the server's user owns, with a path short enough for a Unix socket."""
    base = tempfile.gettempdir()
    if len(base) > 60 and Path("/tmp").is_dir():  # sockets paths are limited to ~100 bytes
        base = "/tmp"
    folder = Path(tempfile.mkdtemp(prefix="ombuds-pg-", dir=base))
    if _running_as_root():
        import pwd

        try:
            user = pwd.getpwnam(SERVER_USER)
        except KeyError:
            shutil.rmtree(folder)
            pytest.fail(
                f"running as root, but there is no {SERVER_USER!r} user to run PostgreSQL as",
                pytrace=False,
            )
        os.chown(folder, user.pw_uid, user.pw_gid)
    return folder


@pytest.fixture(scope="module")
def postgres() -> Iterator[Cluster]:
    """A PostgreSQL server for this module, with a database ``ombuds``; stopped afterwards."""
    with throwaway_cluster() as cluster:
        yield cluster


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """Start a server in a temporary folder (the casework tests use it too); stop it after."""
    if BINDIR is None:
        pytest.fail(f"{NO_SERVER} ({REQUIRE_ENV} is set)", pytrace=False)
    if importlib.util.find_spec("psycopg") is None:
        pytest.fail(
            'the PostgreSQL driver is not installed: pip install "psycopg[binary]>=3.2,<4" '
            "(it comes with the dev and postgres extras)",
            pytrace=False,
        )
    cluster = Cluster(_private_folder(), BINDIR)
    started = False
    try:
        initdb = ("-D", str(cluster.data), "-U", ROLE, "--auth=trust", "-E", "UTF8")
        cluster.run("initdb", *initdb, "--no-locale", "--no-sync")
        with (cluster.data / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# ombuds tests: Unix socket in the cluster's folder only; speed over safety\n"
                f"listen_addresses = ''\nunix_socket_directories = '{cluster.folder}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )
        cluster.run("pg_ctl", "-D", str(cluster.data), "-l", str(cluster.log), "-w", "start")
        started = True
        cluster.create_database("ombuds")
        yield cluster
    finally:
        if started:
            cluster.run("pg_ctl", "-D", str(cluster.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(cluster.folder, ignore_errors=True)


@pytest.fixture
def pg_db(postgres: Cluster) -> str:
    """The URL of a new, empty database for one test."""
    return postgres.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture(autouse=True)
def _no_corpus_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what each test passes decides the database and index."""
    monkeypatch.delenv("OMBUDS_DB", raising=False)
    monkeypatch.delenv("OMBUDS_INDEX", raising=False)


def ombuds(*args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, list(args), env=env)


def ok(*args: str, env: dict[str, str] | None = None) -> Result:
    result = ombuds(*args, env=env)
    assert result.exit_code == 0, result.output
    return result


def as_json(*args: str) -> Any:
    return json.loads(ok(*args, "--json").stdout)


def count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_migrations_create_the_schema_on_an_empty_database(pg_db: str, tmp_path: Path) -> None:
    engine = create_engine(pg_db)
    assert inspect(engine).get_table_names() == []

    stats = as_json("stats", "--db", pg_db)  # the first command to open it migrates it
    assert stats["total"] == 0

    inspector = inspect(engine)
    assert set(inspector.get_table_names()) == TABLES
    assert current_revision(engine) == head_revision()
    columns = {column["name"]: column["type"] for column in inspector.get_columns("decision")}
    assert isinstance(columns["sections"], JSON)
    assert isinstance(columns["ingested_at"], DateTime) and columns["ingested_at"].timezone
    unique = inspector.get_unique_constraints("decision")
    assert [c["column_names"] for c in unique] == [["reference_key"]]
    foreign = inspector.get_foreign_keys("decision_test")
    assert foreign[0]["referred_table"] == "decision"
    assert foreign[0]["options"].get("ondelete") == "CASCADE"
    assert count(engine, "corpus_state") == 1
    engine.dispose()


def test_migrations_go_down_and_up_again(pg_db: str) -> None:
    engine = create_store_engine(pg_db)
    upgrade(engine)
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    assert current_revision(engine) is None
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) == TABLES
    engine.dispose()


def test_first_opens_at_the_same_time_migrate_once(postgres: Cluster, tmp_path: Path) -> None:
    """Processes that open a new database together (ingest, search, a web app) all succeed."""
    go = tmp_path / "go"
    script = (
        "import os, sys, time\n"
        "from ombuds.corpus.store import open_store\n"
        "go, url, index = sys.argv[1:]\n"
        "while not os.path.exists(go): time.sleep(0.005)\n"
        "open_store(url, index=index).close()\n"
    )
    databases = [postgres.create_database(f"race_{uuid.uuid4().hex[:12]}") for _ in range(2)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(go), url, str(tmp_path / f"index{n}")],
            stderr=subprocess.PIPE,
            text=True,
        )
        for url in databases
        for n in range(6)
    ]
    go.touch()  # every process is past its imports: they all open at once
    outcomes = [(p.wait(timeout=120), p.communicate()[1]) for p in processes]
    assert [err for code, err in outcomes if code != 0] == []
    for url in databases:
        engine = create_engine(url)
        assert current_revision(engine) == head_revision()
        assert count(engine, "corpus_state") == 1
        engine.dispose()


def test_reingest_updates_rather_than_duplicates(pg_db: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES, folder)
    index = ("--db", pg_db, "--index", str(tmp_path / "index"))
    first = ok("ingest", str(folder), *index)
    assert "added 6, updated 0, unchanged 0, rejected 0" in first.output
    engine = create_engine(pg_db)
    counts = {table: count(engine, table) for table in ("decision_test", "citation", "remedy")}

    again = ok("ingest", str(folder), *index)
    assert "added 0, updated 0, unchanged 6, rejected 0" in again.output

    noise = folder / "northmere_noise.txt"
    noise.write_text(noise.read_text().replace("barking dog", "barking dogs"))
    changed = ok("ingest", str(folder), *index)
    assert "added 0, updated 1, unchanged 5, rejected 0" in changed.output

    assert count(engine, "decision") == 6  # nothing duplicated
    assert {table: count(engine, table) for table in counts} == counts  # children replaced
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT text FROM decision WHERE reference = '23 618 774'"))
        assert "barking dogs" in stored.scalar_one()
    engine.dispose()
    assert as_json("stats", "--db", pg_db)["total"] == 6


@pytest.mark.parametrize("typed", ["23 204 317", "23-204-317", "23204317"])
def test_search_finds_a_reference_first(pg_db: str, tmp_path: Path, typed: str) -> None:
    where = ("--db", pg_db, "--index", str(tmp_path / "index"))
    ok("ingest", str(FIXTURES), *where)
    data = as_json("search", f"{typed} tribunal", *where)
    assert data["hits"][0]["reference"] == "23 204 317"
    assert data["hits"][0]["match"] == "reference"
    assert "22 410 083" in [hit["reference"] for hit in data["hits"][1:]]
    alone = as_json("search", typed, *where)
    assert [hit["reference"] for hit in alone["hits"]] == ["23 204 317"]


def test_search_filters_work(pg_db: str, tmp_path: Path) -> None:
    where = ("--db", pg_db, "--index", str(tmp_path / "index"))
    ok("ingest", str(FIXTURES), *where)

    def refs(*args: str) -> list[str]:
        return [hit["reference"] for hit in as_json("search", *args, *where)["hits"]]

    assert set(refs("council", "--organisation", "Northmere")) == {"23 618 774", "24 101 201"}
    assert refs("complained", "--category", "Education") == ["24 305 662"]
    assert refs("complained", "--decision", "upheld") == ["24 305 662"]
    assert set(refs("complained", "--since", "2024-06", "--until", "2024")) == {
        "24 305 662",
        "24 512 940",
    }
    tribunal = as_json("search", "appeal", "--test", "alternative_remedy_tribunal", *where)
    assert "22 410 083" in [hit["reference"] for hit in tribunal["hits"]]
    assert all("alternative_remedy_tribunal" in hit["tests"] for hit in tribunal["hits"])
    broad = as_json("search", "complained", *where)
    assert broad["total"] == 6
    assert broad["facets"]["year"] == {"2024": 4, "2023": 2}
    table = ok("search", "noise", *where)
    assert "23 618 774" in table.output and "Northmere" in table.output


def test_stats_counts_match_the_database(pg_db: str, tmp_path: Path) -> None:
    ok("ingest", str(FIXTURES), "--db", pg_db, "--index", str(tmp_path / "index"))
    stats = as_json("stats", "--db", pg_db)
    assert stats["total"] == 6
    assert stats["organisation"]["Northmere District Council"] == 2
    assert stats["year"] == {"2023": 2, "2024": 4}
    assert stats["decision"] == {"closed_after_initial_enquiries": 4, "not_upheld": 1, "upheld": 1}
    engine = create_engine(pg_db)
    with engine.connect() as conn:
        per_test = conn.execute(text("SELECT test_id, count(*) FROM decision_test GROUP BY 1"))
        assert stats["test"] == {test_id: n for test_id, n in per_test}
    engine.dispose()
    assert "by organisation" in ok("stats", "--db", pg_db).output


def test_answers_are_the_same_as_on_sqlite(pg_db: str, tmp_path: Path) -> None:
    """The database is the only difference: stats and search print the same thing."""
    sqlite, postgresql = ("--db", str(tmp_path / "corpus.db")), ("--db", pg_db)
    index = ("--index", str(tmp_path / "pg.index"))
    ok("ingest", str(FIXTURES), *sqlite)
    ok("ingest", str(FIXTURES), *postgresql, *index)
    assert as_json("stats", *sqlite) == as_json("stats", *postgresql)
    for query in ("county court homelessness", "24 305 662", "parking"):
        assert as_json("search", query, *sqlite) == as_json("search", query, *postgresql, *index)


def test_index_folder_for_a_server_database(
    pg_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No file to sit beside: ``<database>.index`` in the current folder, or OMBUDS_INDEX."""
    name = make_url(pg_db).database
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    work.mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(work)
    ok("ingest", str(FIXTURES), "--db", pg_db)
    default = work / f"{name}.index"
    assert (default / "meta.json").exists()

    monkeypatch.chdir(elsewhere)
    shared = ok(
        "search", "Valuation Tribunal", "--json", "--db", pg_db, env={"OMBUDS_INDEX": str(default)}
    )
    assert "rebuilt" not in shared.stderr  # the index from the ingest is current
    assert json.loads(shared.stdout)["hits"][0]["reference"] == "23 204 317"

    fresh = ok("search", "Valuation Tribunal", "--json", "--db", pg_db)
    assert "missing: rebuilt" in fresh.stderr and "6 decisions" in fresh.stderr
    assert (elsewhere / f"{name}.index" / "meta.json").exists()
    assert "indexed 6 decisions" in ok("reindex", "--db", pg_db, "--index", str(default)).output


def test_a_decision_postgresql_refuses_is_rejected_alone(pg_db: str, tmp_path: Path) -> None:
    """PostgreSQL enforces column lengths (SQLite does not): only that decision is refused."""
    store = open_store(pg_db, index=tmp_path / "index")
    try:
        items = [
            Decision(
                f"24 000 {300 + n}",
                f"Decision {n} about a missed bin collection.",
                organisation="Very " * 80 + "Long Council" if n == 2 else "Testshire Council",
            ).parsed(f"f{n}.txt")
            for n in range(5)
        ]
        report = ingest(store, items, batch_size=10)
    finally:
        store.close()
    assert report.added == 4
    assert [r.source for r in report.rejections] == ["f2.txt"]
    assert "value too long" in report.rejections[0].reason
    found = as_json("search", "bin collection", "--db", pg_db, "--index", str(tmp_path / "index"))
    assert found["total"] == 4


def test_errors_name_the_database_without_its_password(postgres: Cluster) -> None:
    url = postgres.url("no_such_database", password="s3cret-pw")
    result = ombuds("stats", "--db", url)
    assert result.exit_code == 1
    assert "no_such_database" in result.output and "does not exist" in result.output
    assert "s3cret-pw" not in result.output
    assert "***" in result.output


def test_missing_driver_says_how_to_install_it(
    postgres: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if psycopg were not installed
    with pytest.raises(StoreError, match=r"ombuds\[postgres\]"):
        open_store(postgres.url("ombuds"))
