"""`assess -o` checks where it writes before any work, writes atomically, never clobbers.

Reproduces issue 10's probes: -o to an existing folder, under a file, somewhere unwritable,
.part debris, and two complaints with one reference overwriting each other.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ombuds.cli.main import app
from ombuds.cli.output import OutputError, write_atomic
from tests.core.test_intake import GOOD


def _assess(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["assess", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


@pytest.fixture
def complaint(tmp_path: Path) -> Path:
    path = tmp_path / "complaint.yaml"
    path.write_text(GOOD, encoding="utf-8")
    return path


def _debris(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".part") or ".ombuds-probe" in p.name]


def test_existing_folder_receives_the_statement(
    tmp_path: Path, runner: CliRunner, complaint: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code, message = _assess(runner, str(complaint), "-o", str(out))
    assert code == 0, message
    assert (out / "25-101-202.md").read_text(encoding="utf-8").strip()
    assert not _debris(tmp_path)


def test_parent_that_is_a_file_is_refused_before_work(
    tmp_path: Path, runner: CliRunner, complaint: Path
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    code, message = _assess(runner, str(complaint), "-f", "docx", "-o", str(blocker / "a.docx"))
    assert code == 2
    assert f"{blocker} is a file, not a folder" in message
    assert "wrote" not in message  # refused before assessing anything
    assert not _debris(tmp_path)


def test_file_where_a_folder_is_needed_is_refused(
    tmp_path: Path, runner: CliRunner, complaint: Path
) -> None:
    second = tmp_path / "second.yaml"
    second.write_text(GOOD.replace("25 101 202", "25 101 203"), encoding="utf-8")
    blocker = tmp_path / "out"
    blocker.write_text("x", encoding="utf-8")
    code, message = _assess(runner, str(complaint), str(second), "-o", str(blocker))
    assert code == 2
    assert "need a folder" in message
    assert blocker.read_text(encoding="utf-8") == "x"


def test_unwritable_place_is_refused_before_work(runner: CliRunner, complaint: Path) -> None:
    """/proc takes no new files even for root, so this holds however the tests run."""
    code, message = _assess(runner, str(complaint), "-o", "/proc/ombuds-test/statement.md")
    assert code == 2
    assert "--output /proc/ombuds-test/statement.md: cannot write in /proc" in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through folder permissions")
def test_read_only_folder_is_refused_before_work(
    tmp_path: Path, runner: CliRunner, complaint: Path
) -> None:
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o555)
    try:
        code, message = _assess(runner, str(complaint), "-o", str(out / "s.md"))
    finally:
        out.chmod(0o755)
    assert code == 2
    assert "cannot write in" in message
    assert not _debris(tmp_path)


def test_same_reference_twice_is_refused_not_overwritten(
    tmp_path: Path, runner: CliRunner, complaint: Path
) -> None:
    twin = tmp_path / "twin.yaml"
    twin.write_text(GOOD.replace("Ms X", "Mr Y"), encoding="utf-8")
    out = tmp_path / "out"
    code, message = _assess(runner, str(complaint), str(twin), "-o", str(out))
    assert code == 2
    assert f"{twin}: not written: {out / '25-101-202.md'} already holds {complaint}'s" in message
    written = (out / "25-101-202.md").read_text(encoding="utf-8")
    assert "Ms X" in written
    assert "Mr Y" not in written
    assert not _debris(tmp_path)


def test_rerun_replaces_the_earlier_statement(
    tmp_path: Path, runner: CliRunner, complaint: Path
) -> None:
    out = tmp_path / "s.md"
    out.write_text("old", encoding="utf-8")
    code, _ = _assess(runner, str(complaint), "-o", str(out))
    assert code == 0
    assert out.read_text(encoding="utf-8") != "old"


def test_failed_write_leaves_no_debris_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "s.md"
    target.write_text("kept", encoding="utf-8")

    def full_disk(self: Path, other: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", full_disk)  # fails after the temp file is written
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(target, "new")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "kept"
    assert not _debris(tmp_path)


def test_any_string_is_written(tmp_path: Path) -> None:
    write_atomic(tmp_path / "s.md", "a \udc80 b")
    assert (tmp_path / "s.md").read_text(encoding="utf-8") == "a \ufffd b"


def test_folder_as_target_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "s.md").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        write_atomic(tmp_path / "s.md", "x")
    assert not _debris(tmp_path)
