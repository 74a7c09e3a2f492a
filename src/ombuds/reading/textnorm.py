"""Text clean-up shared by the reader: straight quotes, list markers, sentences.

Published pages mix curly and straight quotes, non-breaking spaces and several list-marker
styles; matching is done on one normal form so that patterns stay simple.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
        "\u2010": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u200b": "",
        "\ufeff": "",
        "\u00ad": "",
    }
)

# "- ", "• ", "* ", "1. ", "12) " at the start of a line: paragraph markers, not content.
_MARKER = re.compile(r"^(?:[-•*▪◦·]\s+|\d{1,3}[.)]\s+)")
_LETTER = re.compile(r"^\(?([a-z]|[ivx]{1,4})\)\s+")
_ITEM_END = re.compile(r"(?:[;,]\s*(?:and|or)|[;,.])\s*$")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9£])")
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Mx|St|No|para|paras|s|ss|e\.g|i\.e|etc|cf|v|vs)\.$", re.I)
_ENDS = frozenset(".!?:;)\"'")  # a line ending in one of these ends its paragraph
_SPACES = re.compile(r"[^\S\n]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# A "sentence" longer than this is not one (no full stops in hostile or garbled text): it is
# read in pieces of about this size, cut at spaces, so that no regex ever sees more.
MAX_SENTENCE = 1500


def normalise(text: str) -> str:
    """Straighten quotes and dashes, unify spaces and line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_QUOTES)
    return _SPACES.sub(" ", text)


def label_key(text: str) -> str:
    """Comparison key for headings and labels: lower case, letters and digits only."""
    return _NOT_ALNUM.sub(" ", normalise(text).lower()).strip()


def normalised_label_key(text: str) -> str:
    """``label_key`` of text that has been through ``normalise`` already."""
    return _NOT_ALNUM.sub(" ", text.lower()).strip()


def strip_marker(line: str) -> str:
    """A paragraph without its list marker ("- ", "• ", "3. ")."""
    return _MARKER.sub("", line.strip(), count=1).strip()


def letter_item(line: str) -> str | None:
    """The text of a lettered item "a) ..." / "(b) ...", or None when the line is not one."""
    match = _LETTER.match(strip_marker(line))
    if not match:
        return None
    # "a) did this;" / "b) did that; and" / "e) ignored court orders." -> the item alone
    return _ITEM_END.sub("", strip_marker(line)[match.end() :].strip())


def paragraphs(text: str) -> list[str]:
    """Lines, with a line that stops mid-sentence (captures break lines) joined to the next."""
    out: list[str] = []
    carry: list[str] = []
    size = 0
    for raw in text.split("\n"):
        line = strip_marker(raw)
        if not line:
            continue
        carry.append(line)
        size += len(line) + 1
        if line[-1] in _ENDS or size > 2001:
            out.append(" ".join(carry))
            carry, size = [], 0
    if carry:
        out.append(" ".join(carry))
    return out


def _bounded(sentence: str) -> list[str]:
    """``sentence`` in pieces of at most about ``MAX_SENTENCE`` characters, cut at spaces."""
    if len(sentence) <= MAX_SENTENCE:
        return [sentence] if sentence else []
    out = []
    start = 0
    while start < len(sentence):
        end = start + MAX_SENTENCE
        if end < len(sentence):
            space = sentence.rfind(" ", start + MAX_SENTENCE // 2, end)
            end = space if space > 0 else end
        out.append(sentence[start:end].strip())
        start = end
    return [piece for piece in out if piece]  # never an empty sentence


def iter_sentences(text: str) -> Iterator[str]:
    """The sentences of ``text`` as they come (a paragraph end always ends one)."""
    for line in paragraphs(text):
        pending: list[str] = []
        size = 0
        for piece in _SENTENCE_END.split(line):
            pending.append(piece)
            size += len(piece) + 1
            # "Mr. X", "e.g. Y": an abbreviation does not end the sentence (checked on the
            # piece alone, so a chain of them stays linear)
            if _ABBREV.search(piece) and size <= MAX_SENTENCE:
                continue
            yield from _bounded(" ".join(pending).strip())
            pending, size = [], 0
        if pending:
            yield from _bounded(" ".join(pending).strip())


def sentences(text: str) -> list[str]:
    """Split text into sentences (a paragraph end always ends one)."""
    return list(iter_sentences(text))
