"""An assessor's malformed complaint file gets errors naming the file, line and field; exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ombuds.cli.main import app

GOOD = """\
reference: "25 101 202"
organisation: Riverton Borough Council
category: Housing > Homelessness
complainant: Ms X
subject: how the Council dealt with her homelessness application
dates:
  first_knew: 2025-01-06
  complained_to_body: 2025-01-20
  final_response: 2025-03-03
  received: 2025-04-01
points:
  - label: a
    alleged: did not give her interim accommodation
    facts:
      evidence_of_fault: true
      injustice: significant
"""


def _run(tmp_path: Path, runner: CliRunner, text: str) -> tuple[int, str, Path]:
    path = tmp_path / "complaint.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["assess", str(path), "--format", "json"])
    return result.exit_code, result.stderr if result.stderr_bytes else result.output, path


def test_good_file_is_accepted(tmp_path: Path, runner: CliRunner) -> None:
    code, _, _ = _run(tmp_path, runner, GOOD)
    assert code == 0


@pytest.mark.parametrize(
    ("change", "line", "field", "says"),
    [
        (("received: 2025-04-01", "received: 2025-04-31"), 10, "dates.received", "YYYY-MM-DD"),
        (("Housing > Homelessness", "Housing > Castles"), 3, "category", "unknown category"),
        (
            ("      injustice: significant", "      injustice: huge"),
            16,
            "points.0.facts.injustice",
            "expected one of none, minor, significant, serious",
        ),
        (
            ("      evidence_of_fault: true", "      evidence_of_faults: true"),
            15,
            "points.0.facts.evidence_of_faults",
            "unknown fact",
        ),
        (
            ("      evidence_of_fault: true", "      has_representative: true"),
            15,
            "points.0.facts.has_representative",
            "fill in",
        ),
        (
            ("      evidence_of_fault: true", "      circumstances_resolved: true"),
            15,
            "points.0.facts.circumstances_resolved",
            "no longer a fact: record same_outcome_likely",
        ),
        (('reference: "25 101 202"', 'reference: "25-101"'), 1, "reference", "YY NNN NNN"),
        (("complainant: Ms X", "complainant: Jane Smith"), 4, "complainant", "anonymised"),
        (
            ("dates:", "main_reason: late_complaints\ndates:"),
            6,
            "main_reason",
            "unknown test 'late_complaints'",
        ),
    ],
)
def test_bad_field_is_named_with_its_line(
    tmp_path: Path, runner: CliRunner, change: tuple[str, str], line: int, field: str, says: str
) -> None:
    old, new = change
    assert old in GOOD
    code, message, path = _run(tmp_path, runner, GOOD.replace(old, new))
    assert code == 2
    assert f"{path}:{line}: {field}:" in message
    assert says in message


def test_missing_points_is_explained(tmp_path: Path, runner: CliRunner) -> None:
    text = GOOD.split("points:")[0] + "points: []\n"
    code, message, path = _run(tmp_path, runner, text)
    assert code == 2
    assert f"{path}:11: points:" in message
    assert "at least one point" in message


def test_missing_field_and_dates_out_of_order(tmp_path: Path, runner: CliRunner) -> None:
    text = GOOD.replace("organisation: Riverton Borough Council\n", "").replace(
        "final_response: 2025-03-03", "final_response: 2024-03-03"
    )
    code, message, _ = _run(tmp_path, runner, text)
    assert code == 2
    assert "organisation: this field is required" in message
    assert "dates.complained_to_body (2025-01-20) is after dates.final_response" in message


def test_a_points_own_dates_out_of_order(tmp_path: Path, runner: CliRunner) -> None:
    text = GOOD.replace(
        "    alleged: did not give her interim accommodation\n",
        "    alleged: did not give her interim accommodation\n"
        "    first_knew: 2025-02-10\n"
        "    complained_to_body: 2025-02-01\n",
    )
    code, message, _ = _run(tmp_path, runner, text)
    assert code == 2
    assert "point a: first_knew (2025-02-10) is after complained_to_body (2025-02-01)" in message


def test_broken_yaml_names_the_line(tmp_path: Path, runner: CliRunner) -> None:
    code, message, path = _run(tmp_path, runner, GOOD.replace("  - label: a", "  - label: [a"))
    assert code == 2
    assert f"{path}:" in message
    assert "not valid YAML/JSON" in message


def test_points_out_of_sequence(tmp_path: Path, runner: CliRunner) -> None:
    code, message, _ = _run(tmp_path, runner, GOOD.replace("label: a", "label: b"))
    assert code == 2
    assert "points must be labelled a in order; found b" in message


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(
        GOOD.replace("Housing > Homelessness", "Nope > No"), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["assess", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 2
    assert (out / "25-101-202.md").is_file()
    assert not list(out.glob("*.part"))


def test_office_can_add_categories(tmp_path: Path, runner: CliRunner) -> None:
    extra = tmp_path / "categories.yaml"
    extra.write_text("categories:\n  Housing:\n    - Castles\n", encoding="utf-8")
    path = tmp_path / "complaint.yaml"
    path.write_text(GOOD.replace("Housing > Homelessness", "Housing > Castles"), encoding="utf-8")
    result = runner.invoke(app, ["assess", str(path), "--categories", str(extra)])
    assert result.exit_code == 0, result.output


def test_schema_lists_the_facts(runner: CliRunner) -> None:
    import json

    result = runner.invoke(app, ["schema", "complaint"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    facts = schema["properties"]["facts"]["properties"]
    assert "about_personal_data_or_foi" in facts
    assert "has_representative" not in facts  # derived: not for the assessor
    assert "known_for_more_than_12_months" in facts  # recordable when the date is unknown
    assert schema["$defs"]["Point"]["properties"]["facts"]["additionalProperties"] is False
