"""Nothing is published that has not passed the anonymisation check."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ombuds.cli.main import app
from ombuds.publication import check_anonymised

CLEAN = "Mrs X complained that the Council did not assess Y's needs. Mr B is her son."


@pytest.mark.parametrize(
    ("text", "detector"),
    [
        ("Mrs Hartley complained about the Council.", "titled_name"),
        ("Write to jo.bloggs@example.org for details.", "email"),
        ("She rang 01632 960123 twice.", "phone"),
        ("The family lives at NE1 4ST.", "postcode"),
        ("His NHS number is 943 476 5919.", "nhs_number"),
        ("Her NI number QQ 12 34 56 C was on the form.", "national_insurance"),
        ("Y was born on 3 May 2015.", "date_of_birth"),
    ],
)
def test_each_detector_finds_its_kind(text: str, detector: str) -> None:
    findings = check_anonymised(text)
    assert [f.detector for f in findings] == [detector]
    assert findings[0].line == 1 and findings[0].explain


def test_anonymised_statement_passes() -> None:
    assert check_anonymised(CLEAN + " Reference 24 009 458, 13 Nov 2024.") == []


def test_a_provider_may_be_named_after_a_person() -> None:
    text = "Dr Ashworth Care Homes Limited did not reply."
    assert check_anonymised(text, organisation="Dr Ashworth Care Homes Limited") == []
    assert check_anonymised(text) != []


def test_command_fails_on_personal_data(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(CLEAN, encoding="utf-8")
    bad.write_text(CLEAN + "\nCall Mrs Hartley on 01632 960123.", encoding="utf-8")
    result = CliRunner().invoke(app, ["check-anonymised", str(good), str(bad)])
    assert result.exit_code == 1
    assert f"{good}: passed" in result.output
    assert f"{bad}:line 2: titled_name: 'Mrs Hartley'" in result.output
    assert "phone" in result.output


def test_demo_does_not_store_a_statement_that_fails(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples" / "seeds"
    folder = tmp_path / "examples"
    folder.mkdir()
    text = (examples / "24-009-458.yaml").read_text(encoding="utf-8")
    (folder / "leaky.yaml").write_text(
        text.replace(
            "Mrs X complained about a children", "Mrs Hartley complained about a children"
        ),
        encoding="utf-8",
    )
    db = tmp_path / "c.db"
    result = CliRunner().invoke(
        app, ["demo", "--examples", str(folder), "--out", str(tmp_path / "o"), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert "titled_name" in result.output
    stats = CliRunner().invoke(app, ["stats", "--db", str(db), "--json"])
    assert '"total": 0' in stats.output
