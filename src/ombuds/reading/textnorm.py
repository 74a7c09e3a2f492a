"""Text clean-up shared by the reader: straight quotes, list markers, sentences.

Published pages mix curly and straight quotes, non-breaking spaces and several list-marker
styles; matching is done on one normal form so that patterns stay simple.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_QUOTES = tuple(
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
    }.items()
)

# "- ", "• ", "* ", "1. ", "12) " at the start of a line: paragraph markers, not content.
_MARKER = re.compile(r"^(?:[-•*▪◦·]\s+|\d{1,3}[.)]\s+)")
_LETTER = re.compile(r"^\(?([a-z]|[ivx]{1,4})\)\s+")
_ITEM_END = re.compile(r"(?:[;,]\s*(?:and|or)|[;,.])\s*$")
# A sentence ends at . ! or ? (perhaps closing a quote or bracket) before a space and a capital
# or digit. The punctuation is matched, not looked behind for: the regex then skips ahead to
# the next full stop instead of trying two look-behinds at every character.
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?(\s+)(?=[\"'(\[]?[A-Z0-9£])")
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Mx|St|No|para|paras|s|ss|e\.g|i\.e|etc|cf|v|vs)\.$", re.I)
_ABBREV_SPAN = 8  # an abbreviation ends a piece: only its last characters are searched
_ENDS = frozenset(".!?:;)\"'")  # a line ending in one of these ends its paragraph
# Runs of spaces other than a single " " (which is left alone, not replaced by itself).
_SPACES = re.compile(r"[^\S\n]{2,}|[^\S \n]")
# Every character Python's \s takes (str.isspace) but " " and "\n", ASCII ones first: when the
# text has none of them, nor a double space, the regex has nothing to do and is not run.
ODD_SPACES = (
    "\t\x0b\x0c\r\x1c\x1d\x1e\x1f"
    "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_ASCII_ODD_SPACES = "".join(char for char in ODD_SPACES if char.isascii())
_SPACE_RUNS = re.compile("  +")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# A "sentence" longer than this is not one (no full stops in hostile or garbled text): it is
# read in pieces of about this size, cut at spaces, so that no regex ever sees more.
MAX_SENTENCE = 1500


def normalise(text: str) -> str:
    """Straighten quotes and dashes, unify spaces and line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    ascii_only = text.isascii()
    if not ascii_only:
        # one C-speed replace per character present (str.translate with a table of
        # non-ASCII characters looks up every character of the text in Python)
        for old, new in _QUOTES:
            if old in text:
                text = text.replace(old, new)
    odd = _ASCII_ODD_SPACES if ascii_only else ODD_SPACES
    if any(char in text for char in odd):
        return _SPACES.sub(" ", text)
    # only runs of plain spaces to collapse: a literal-led regex, searched at C speed
    return _SPACE_RUNS.sub(" ", text) if "  " in text else text


def label_key(text: str) -> str:
    """Comparison key for headings and labels: lower case, letters and digits only."""
    return _NOT_ALNUM.sub(" ", normalise(text).lower()).strip()


def normalised_label_key(text: str) -> str:
    """``label_key`` of text that has been through ``normalise`` already."""
    return _NOT_ALNUM.sub(" ", text.lower()).strip()


_MARKER_START = frozenset("-•*▪◦·0123456789")


def strip_marker(line: str) -> str:
    """A paragraph without its list marker ("- ", "• ", "3. ")."""
    line = line.strip()
    if not line or line[0] not in _MARKER_START:  # most lines: no marker to look for
        return line
    return _MARKER.sub("", line, count=1).strip()


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


def _split_sentences(line: str) -> Iterator[str]:
    """``line`` cut at each sentence end (the punctuation kept, the spaces dropped)."""
    start = 0
    for end in _SENTENCE_END.finditer(line):
        yield line[start : end.start(1)]
        start = end.end(1)
    yield line[start:]


def iter_sentences(text: str) -> Iterator[str]:
    """The sentences of ``text`` as they come (a paragraph end always ends one)."""
    for line in paragraphs(text):
        pending: list[str] = []
        size = 0
        for piece in _split_sentences(line):
            pending.append(piece)
            size += len(piece) + 1
            # "Mr. X", "e.g. Y": an abbreviation does not end the sentence (checked on the
            # piece alone, so a chain of them stays linear)
            if _ABBREV.search(piece, max(0, len(piece) - _ABBREV_SPAN)) and size <= MAX_SENTENCE:
                continue
            yield from _bounded(" ".join(pending).strip())
            pending, size = [], 0
        if pending:
            yield from _bounded(" ".join(pending).strip())


def sentences(text: str) -> list[str]:
    """Split text into sentences (a paragraph end always ends one)."""
    return list(iter_sentences(text))
