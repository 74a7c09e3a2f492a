"""Which files of an examples folder are sample complaints.

``examples/real/`` holds acceptance cases (a published outcome under ``expected:``) that
``ombuds score`` reads; they are not samples to draft, seed or round-trip.
"""

from __future__ import annotations

from pathlib import Path

COMPLAINT_SUFFIXES = frozenset({".yaml", ".yml", ".json"})
ACCEPTANCE_FOLDER = "real"


def sample_complaint_files(root: Path) -> list[Path]:
    """The complaint files under ``root`` in a stable order, acceptance cases left out."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.suffix in COMPLAINT_SUFFIXES
        and path.is_file()
        and ACCEPTANCE_FOLDER not in path.relative_to(root).parts
    )
