"""`ombuds interview`: a seed complaint emptied of its facts is settled again through piped
answers, each written back into the file with its comments and order kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from ombuds.domain.complaint import Complaint, FactValue
from ombuds.engine import ask_next, assess
from ombuds.intake import load_complaint, parse_complaint
from ombuds.rulebook import Rulebook
from tests.engine.conftest import EXAMPLES

SEEDS = sorted((EXAMPLES / "seeds").glob("*.yaml"))
#: The command, run as its own process so that its standard input is a real pipe.
OMBUDS = [sys.executable, "-c", "from ombuds.cli.main import app; app()"]


def emptied(seed: Path, target: Path) -> Path:
    """A copy of ``seed`` with every ``facts:`` mapping removed (comments kept)."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(seed.read_text(encoding="utf-8"))
    data.pop("facts", None)
    for point in data["points"]:
        point.pop("facts", None)
    with target.open("w", encoding="utf-8") as out:
        yaml.dump(data, out)
    return target


def recorded(original: Complaint, fact: str, label: str) -> FactValue:
    """What the seed file recorded for ``fact`` on point ``label`` (None: nothing)."""
    point = next(p for p in original.points if p.label == label)
    return point.facts.get(fact, original.facts.get(fact))


def answer_line(value: FactValue) -> str:
    if value is None:
        return "?"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def planned_answers(seed: Path, empty: Path, rulebook: Rulebook) -> str:
    """The answers an assessor holding the seed's facts would pipe in, question by question
    (worked out on a scratch copy with the engine's own ranking)."""
    original = load_complaint(seed, rulebook)
    scratch = empty.read_text(encoding="utf-8")
    skipped: set[tuple[str, str]] = set()
    lines: list[str] = []
    from ombuds.cli.interview import write_answer

    work = empty.with_name("scratch.yaml")
    work.write_text(scratch, encoding="utf-8")
    for _ in range(200):
        complaint = parse_complaint(work.read_text(encoding="utf-8"), rulebook)
        found = ask_next(complaint, rulebook, skipped)
        if found is None:
            break
        question, label = found
        value = recorded(original, question.fact, label)
        lines.append(answer_line(value))
        if value is None:
            skipped.add((question.fact, label))
            continue
        lines.append("from the seed file")  # the note
        write_answer(work, rulebook.facts[question.fact], label, value, "from the seed file")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_interview_settles_an_emptied_seed_through_piped_answers(
    seed: Path, tmp_path: Path, rulebook: Rulebook
) -> None:
    empty = emptied(seed, tmp_path / seed.name)
    before = assess(load_complaint(empty, rulebook), rulebook)
    assert before.decision.value == "needs_information" and before.questions
    answers = planned_answers(seed, empty, rulebook)
    result = subprocess.run(
        [*OMBUDS, "interview", str(empty)],
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Settled:" in result.stdout
    settled = assess(load_complaint(empty, rulebook), rulebook)
    expected = assess(load_complaint(seed, rulebook), rulebook)
    assert settled.decision == expected.decision
    # settled on the way to fewer facts, it may give fewer reasons, never others
    assert set(settled.tests) <= set(expected.tests)
    text = empty.read_text(encoding="utf-8")
    assert text.startswith("# Facts an assessor would establish")  # the comment is kept
    assert "# from the seed file" in text  # each answer's note beside it
    assert text.index("reference:") < text.index("dates:") < text.index("points:")


def test_dont_know_is_not_written_and_running_out_of_answers_exits_3(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    empty = emptied(SEEDS[0], tmp_path / "empty.yaml")
    before = empty.read_text(encoding="utf-8")
    result = subprocess.run(
        [*OMBUDS, "interview", str(empty)],
        input="?\nmaybe\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3
    assert "answer yes, no or don't know" in result.stdout
    assert empty.read_text(encoding="utf-8") == before


def test_a_settled_file_is_left_alone_and_a_broken_one_is_refused(
    tmp_path: Path, rulebook: Rulebook
) -> None:
    settled = tmp_path / "settled.yaml"
    settled.write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run(
        [*OMBUDS, "interview", str(settled)], input="", capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and result.stdout.startswith("Settled:")
    assert settled.read_text(encoding="utf-8") == SEEDS[0].read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        SEEDS[0].read_text(encoding="utf-8").replace("received:", "recieved:"), encoding="utf-8"
    )
    result = subprocess.run(
        [*OMBUDS, "interview", str(broken)], input="", capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert f"{broken}:" in result.stderr and "recieved" in result.stderr


def test_a_date_answer_records_the_date_and_a_wrong_one_is_not_kept(tmp_path: Path) -> None:
    path = tmp_path / "thin.yaml"
    path.write_text(
        "# a complaint with nothing established yet\n"
        'reference: "25 010 020"\n'
        "organisation: Anytown Borough Council\n"
        "category: Housing > Homelessness\n"
        "complainant: Ms B\n"
        "subject: how the Council dealt with her homelessness application\n"
        "dates:\n"
        "  received: 2025-05-02\n"
        "points:\n"
        "  - label: a\n"
        "    alleged: did not help her when she became homeless\n",
        encoding="utf-8",
    )
    # first knew (a date after the complaint was received is refused), then a right date
    result = subprocess.run(
        [*OMBUDS, "interview", str(path)],
        input="2025-06-01\n\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Not recorded:" in result.stdout and result.returncode == 3
    assert "2025-06-01" not in path.read_text(encoding="utf-8")
    result = subprocess.run(
        [*OMBUDS, "interview", str(path)],
        input="2025-02-01\nfrom her letter\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    text = path.read_text(encoding="utf-8")
    assert "    first_knew: 2025-02-01  # from her letter\n" in text
    assert text.startswith("# a complaint with nothing established yet\n")


def test_with_suggest_the_likely_reason_s_question_comes_first_and_says_why(
    tmp_path: Path,
) -> None:
    """A parking complaint: published decisions say such complaints close for the tribunal, so
    `--suggest` checks the presumption "no tribunal appeal" before anything else."""
    parking = EXAMPLES / "complaints" / "parking-pcn-adjudicator.yaml"
    plain = emptied(parking, tmp_path / "plain.yaml")
    result = subprocess.run(
        [*OMBUDS, "interview", str(plain)], input="", capture_output=True, text=True, timeout=120
    )
    assert "[tribunal_appeal_available]" not in result.stdout.split(" > ")[0]
    guided = emptied(parking, tmp_path / "guided.yaml")
    result = subprocess.run(
        [*OMBUDS, "interview", str(guided), "--suggest"],
        input="yes\n\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    first_prompt = result.stdout.split(" > ")[0]
    assert first_prompt.startswith("Published decisions suggest: closed after initial enquiries")
    assert "likely reasons: alternative remedy tribunal" in first_prompt
    assert "[tribunal_appeal_available]" in first_prompt
    assert "(asked first: complaints like this were often decided on alternative remedy" in (
        first_prompt
    )
    assert "tribunal_appeal_available: true" in guided.read_text(encoding="utf-8")

    bogus = tmp_path / "model.npz"
    bogus.write_text("not a model")
    refused = subprocess.run(
        [*OMBUDS, "interview", str(guided), "--suggest", "--model", str(bogus)],
        input="",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 2 and "model.npz" in refused.stderr
