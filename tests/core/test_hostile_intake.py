"""Hostile complaint files are refused cleanly: a line-numbered error and exit 2, never a crash.

Each case here reproduces a failure of issue 10's probes (alias bomb, 50 MB file, deep
nesting, duplicate keys, a folder named like a complaint file).
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ombuds.cli.main import app
from ombuds.limits import MAX_ALIAS_EXPANSION, MAX_COMPLAINT_BYTES, MAX_DOCUMENT_DEPTH
from ombuds.sourcemap import DocumentError, load_document
from tests.core.test_intake import GOOD

BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "\n".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(9)
)


def _assess(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["assess", *args, "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def _write(tmp_path: Path, text: str, name: str = "complaint.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_alias_bomb_is_refused_before_it_expands(tmp_path: Path, runner: CliRunner) -> None:
    path = _write(tmp_path, BILLION_LAUGHS)
    code, message = _assess(runner, str(path))
    assert code == 2
    assert f"{path}:1: YAML aliases expand to" in message
    assert f"at most {MAX_ALIAS_EXPANSION:,} more" in message


def test_a_few_aliases_are_still_fine() -> None:
    doc = load_document("shared: &s {x: 1}\none: *s\ntwo: *s\n")
    assert doc.data == {"shared": {"x": 1}, "one": {"x": 1}, "two": {"x": 1}}


def test_self_referring_alias_is_refused() -> None:
    with pytest.raises(DocumentError, match="refers to its own anchor"):
        load_document("a: &a [1, *a]\n")


def test_deep_alias_chains_count_as_nesting() -> None:
    """Each alias adds its value's depth, so chained anchors cannot nest past the limit."""
    lines = ["a0: &a0 " + "[" * 40 + "1" + "]" * 40]
    lines += [f"a{i}: &a{i} " + "[" * 40 + f"*a{i - 1}" + "]" * 40 for i in range(1, 40)]
    with pytest.raises(DocumentError, match="nested deeper than"):
        load_document("\n".join(lines))


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,  # JSON
        '{"a": ' * 5_000 + "1" + "}" * 5_000,  # JSON objects
        "- " * 3_000 + "x\n",  # YAML block sequences
        "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 200)),  # YAML block mappings
    ],
)
def test_deep_nesting_is_refused_without_recursion_error(
    tmp_path: Path, runner: CliRunner, text: str
) -> None:
    path = _write(tmp_path, text)
    code, message = _assess(runner, str(path))
    assert code == 2
    assert f"nested deeper than {MAX_DOCUMENT_DEPTH} levels" in message
    assert "Traceback" not in message


def test_nesting_up_to_the_limit_is_accepted() -> None:
    depth = MAX_DOCUMENT_DEPTH
    assert load_document("[" * depth + "]" * depth).data is not None


def test_duplicate_yaml_key_is_refused_with_both_lines(tmp_path: Path, runner: CliRunner) -> None:
    path = _write(tmp_path, GOOD + "organisation: Another Council\n")
    code, message = _assess(runner, str(path))
    assert code == 2
    assert f"{path}:17: key 'organisation' is given twice (lines 2 and 17)" in message


def test_duplicate_key_in_a_point_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    text = GOOD.replace("      injustice: significant", "      injustice: significant\n" * 2)
    code, message = _assess(runner, str(_write(tmp_path, text)))
    assert code == 2
    assert "key 'injustice' is given twice (lines 16 and 17)" in message


def test_duplicate_json_key_is_refused_with_its_line(tmp_path: Path, runner: CliRunner) -> None:
    data = json.dumps(load_document(GOOD).data, indent=1)
    text = data.replace('"organisation":', '"complainant": "Mr Y",\n "organisation":', 1)
    path = _write(tmp_path, text, "complaint.json")
    code, message = _assess(runner, str(path))
    assert code == 2
    lines = text.splitlines()
    first = lines.index(' "complainant": "Mr Y",') + 1
    second = lines.index(' "complainant": "Ms X",') + 1
    assert f"{path}:{second}: key 'complainant' is given twice (lines {first} and {second})" in (
        message
    )


def test_json_escaped_emoji_is_one_character() -> None:
    """PyYAML leaves a JSON surrogate pair as two halves; the loader joins them."""
    assert load_document('{"a": "\\ud83d\\ude00 ok"}').data == {"a": "\U0001f600 ok"}


def test_fifty_megabyte_file_is_refused_unread(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # sparse: costs no disk
        handle.write(b"reference: ")
        handle.truncate(50 * 1024 * 1024)
    code, message = _assess(runner, str(path))
    assert code == 2
    assert f"{path}: larger than {MAX_COMPLAINT_BYTES // 1024:,} KiB" in message


def test_folder_named_like_a_complaint_file(tmp_path: Path, runner: CliRunner) -> None:
    folder = tmp_path / "cases"
    (folder / "x.yaml").mkdir(parents=True)
    _write(folder, GOOD, "good.yaml")
    code, _ = _assess(runner, str(folder))
    assert code == 0  # the folder entry is not a complaint file: skipped
    code, message = _assess(runner, str(folder / "x.yaml"))
    assert code == 2  # named on its own it is a folder of no complaint files
    assert "Traceback" not in message


def test_lone_surrogate_is_refused_by_field(tmp_path: Path, runner: CliRunner) -> None:
    path = _write(tmp_path, GOOD.replace("complainant: Ms X", 'complainant: "Ms \\ud800X"'))
    code, message = _assess(runner, str(path))
    assert code == 2
    assert f"{path}:4: complainant:" in message


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))
_json = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(_json)
def test_any_json_loads_as_itself(value: object) -> None:
    """The guarded loader changes nothing for ordinary JSON (JSON is YAML)."""
    text = json.dumps(value)
    if any(c in text for c in "\ufeff\x85\u2028\u2029"):
        return  # line breaks and BOMs YAML reads differently from JSON; not ours to test
    assert load_document(text).data == value


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]{}&*ab:,- \n\"'!|>#%@`\t")), max_size=200))
def test_any_text_loads_or_is_refused_cleanly(text: str) -> None:
    """No input makes the loader raise anything but a DocumentError."""
    with contextlib.suppress(DocumentError):
        load_document(text)


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("reference: x\ncomplainant: Ms \x00X\n", 2, "control character U+0000"),
        ("reference: x\ncomplainant: Ms \x0bX\n", 2, "control character U+000B"),
        ("reference: " + "9" * 5_000 + "\n", None, "a number is too long"),
    ],
)
def test_unloadable_characters_and_numbers_are_refused_by_line(
    tmp_path: Path, runner: CliRunner, text: str, line: int | None, says: str
) -> None:
    path = _write(tmp_path, text)
    code, message = _assess(runner, str(path))
    assert code == 2
    assert says in message
    assert (f"{path}:{line}:" if line else f"{path}:") in message
