"""JSON Merge Patch (RFC 7396): how a PATCH body changes a stored document."""

from __future__ import annotations

from typing import Any


def merge_patch(target: Any, patch: Any) -> Any:
    """The document ``target`` with ``patch`` applied, as RFC 7396 section 2 defines it.

    A null member removes the key; an object merges recursively; anything else (arrays
    included) replaces. Neither argument is modified.
    """
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
