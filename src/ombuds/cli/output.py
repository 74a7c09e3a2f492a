"""Where `assess -o` writes: checked before any work starts, written atomically, never clobbered.

Checked up front: a file where a folder is needed (or the reverse), a parent that is a file, a
place that cannot be written (probed by creating and removing a file, so it holds for root and
read-only file systems too). Each statement is written to a temporary file beside its target
and renamed over it, so a failure leaves neither a half-written statement nor a ``.part`` file.
Two complaints of one run that would land on the same file (same reference) are refused.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


class OutputError(Exception):
    """The output cannot be written where asked; the message says where and why."""


@dataclass
class OutputPlan:
    """Where this run writes: one file, or one file per complaint in a folder."""

    output: Path
    folder: bool
    written: dict[Path, str] = field(default_factory=dict)

    def target(self, reference: str, extension: str, source: str) -> Path:
        """The file for this complaint; refuses a second complaint with the same file name."""
        if not self.folder:
            path = self.output
        else:
            name = f"{reference.replace(' ', '-')}.{extension}"
            if Path(name).name != name or name.startswith("."):
                raise OutputError(f"{source}: reference {reference!r} cannot name a file")
            path = self.output / name
        earlier = self.written.get(path)
        if earlier is not None:
            raise OutputError(
                f"{source}: not written: {path} already holds {earlier}'s statement from this "
                f"run (both have reference {reference!r}); correct the reference, or assess "
                "them into separate folders"
            )
        return path

    def record(self, path: Path, source: str) -> None:
        self.written[path] = source


def plan_output(output: Path, several: bool) -> OutputPlan:
    """Check ``-o`` before any complaint is assessed; :class:`OutputError` if it cannot work."""
    folder = several or output.is_dir()
    if folder and output.exists() and not output.is_dir():
        raise OutputError(
            f"--output {output}: is a file, but several complaints need a folder; name a folder"
        )
    if not folder and output.suffix == "" and several:
        raise OutputError(f"--output {output}: several complaints need a folder")
    writable_dir = output if folder else output.parent
    _check_writable(writable_dir, output)
    return OutputPlan(output=output, folder=folder)


def _check_writable(directory: Path, output: Path) -> None:
    existing = directory
    while not existing.exists():
        if existing.is_symlink():
            raise OutputError(f"--output {output}: {existing} is a broken link")
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"--output {output}: {existing} is a file, not a folder")
    try:
        with tempfile.TemporaryFile(dir=existing, prefix=".ombuds-probe-"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise OutputError(f"--output {output}: cannot write in {existing}: {reason}") from None


def write_atomic(target: Path, data: str | bytes) -> None:
    """Write ``data`` to ``target`` all at once: a temporary file renamed over it, or nothing."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            raise IsADirectoryError(21, "is a folder")
        handle, tmp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_utf8(data) if isinstance(data, str) else data)
        os.chmod(tmp, 0o644 & ~_umask())
        tmp.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _utf8(text: str) -> bytes:
    """UTF-8 bytes; a stray surrogate costs one character (U+FFFD), never the statement."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode("utf-8")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
