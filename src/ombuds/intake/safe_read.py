"""Read a complaint file within the size limit, without reading a giant file to find out."""

from __future__ import annotations

from pathlib import Path

from ombuds.limits import MAX_COMPLAINT_BYTES


class ComplaintFileTooLarge(ValueError):
    """The file is over :data:`MAX_COMPLAINT_BYTES`; nothing past the limit was read."""


def read_complaint_text(path: Path, limit: int = MAX_COMPLAINT_BYTES) -> str:
    """The file's UTF-8 text; :class:`ComplaintFileTooLarge` when it is over ``limit`` bytes.

    At most ``limit + 1`` bytes are read, so a 50 MB (or endless, e.g. a FIFO) file is refused
    at once. Raises the usual ``OSError`` / ``UnicodeDecodeError`` for the caller to word.
    """
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ComplaintFileTooLarge(
            f"larger than {limit // 1024:,} KiB, the most a complaint file may be; "
            "a complaint file holds the case's fields, not its documents"
        )
    return data.decode("utf-8")
