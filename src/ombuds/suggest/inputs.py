"""What `ombuds suggest` reads: plain text, a complaint file (its points, never its facts),
or JSON lines with a ``text`` field; each becomes one complaint as the person wrote it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from ombuds.domain.complaint import Complaint
from ombuds.intake.load import ComplaintFileError, parse_complaint
from ombuds.rulebook.model import Rulebook

MAX_BYTES = 5_000_000


class InputError(ValueError):
    """The input cannot be read as complaints; the message names the file, line and field."""


@dataclass(frozen=True)
class Written:
    source: str
    text: str


def complaint_words(complaint: Complaint) -> str:
    """What the complainant says: the subject and each point's allegation, injustice and aim.

    The assessor's facts and notes are left out: a suggestion is for before anything is
    established. The complaint as received, when the file keeps it, is the person's own words.
    """
    if complaint.received_text:
        return complaint.received_text.strip()
    lines = (
        [f"{complaint.complainant} complains about {complaint.subject}."]
        if complaint.subject
        else []
    )
    for point in complaint.points:
        lines.append(point.alleged)
        if point.injustice:
            lines.append(point.injustice)
        if point.outcome_sought:
            lines.append(point.outcome_sought)
    return "\n".join(line.strip() for line in lines if line and line.strip())


def read_inputs(name: str, content: str, rulebook: Rulebook) -> list[Written]:
    """Complaints in ``content`` (read from ``name``), in order."""
    if len(content.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise InputError(f"{name}: larger than {MAX_BYTES // 1_000_000} MB; split it")
    stripped = content.strip()
    if not stripped:
        raise InputError(f"{name}: empty; give the complaint's text")
    suffix = Path(name).suffix.lower()
    if suffix in (".jsonl", ".ndjson") or (
        stripped.startswith("{") and '"text"' in stripped and suffix != ".json"
    ):
        return _json_lines(name, content)
    if suffix in (".yaml", ".yml", ".json"):
        return [Written(name, _complaint_file(name, content, rulebook))]
    return [Written(name, stripped)]


def _complaint_file(name: str, content: str, rulebook: Rulebook) -> str:
    try:
        complaint = parse_complaint(content, rulebook, source=name)
    except ComplaintFileError as exc:
        raise InputError(str(exc)) from exc
    except yaml.YAMLError as exc:
        raise InputError(f"{name}: not a complaint file ({exc})") from exc
    return complaint_words(complaint)


def _json_lines(name: str, content: str) -> list[Written]:
    rows: list[Written] = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}:{number}: not JSON ({exc.msg}); one object per line") from exc
        text = row.get("text") if isinstance(row, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise InputError(
                f"{name}:{number}: field 'text' missing or empty; give the complaint's words"
            )
        rows.append(Written(f"{name}:{number}", text.strip()))
    return rows
