"""The JSON Schema of a complaint file, with the scheme's facts spelled out for assessors."""

from __future__ import annotations

from typing import Any

from ombuds.domain.complaint import Complaint
from ombuds.rulebook.model import Fact, Rulebook

_JSON_TYPES = {"bool": "boolean", "int": "integer", "text": "string", "enum": "string"}


def _fact_schema(fact: Fact) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": [_JSON_TYPES[fact.type], "null"], "description": fact.ask}
    if fact.values:
        schema["enum"] = [*fact.values, None]
    if fact.presume is not None:
        schema["description"] += f" (presumed {fact.presume!r} when not recorded)"
    return schema


def complaint_schema(rulebook: Rulebook) -> dict[str, Any]:
    """Complaint's JSON Schema where ``facts`` lists exactly the facts an assessor may set."""
    schema = Complaint.model_json_schema()
    facts = {
        "type": "object",
        "description": f"Facts from the {rulebook.name} rulebook's vocabulary.",
        "properties": {
            name: _fact_schema(fact) for name, fact in rulebook.facts.items() if fact.answerable
        },
        "additionalProperties": False,
    }
    schema["properties"]["facts"] = facts
    schema["$defs"]["Point"]["properties"]["facts"] = facts
    schema["title"] = f"{rulebook.name} complaint file"
    return schema
