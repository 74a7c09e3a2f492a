"""Text hygiene for statements: what Word and XML can hold, the house typography, Markdown safety.

Complaint fields are typed by people and pasted from anywhere: control characters, lone
surrogates and bidirectional overrides would crash the Word writer or make a printed statement
read differently from its text, so they are removed before anything is rendered.
"""

from __future__ import annotations

import re
from functools import lru_cache

# C0 controls but tab, newline and carriage return (XML 1.0 cannot hold them), DEL and the C1
# controls, lone surrogates (not encodable), the bidirectional embeddings, overrides and isolates
# (they reorder what a reader sees), and the non-characters XML forbids.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
_SPACE = re.compile(r"\s+")
_OPEN_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[{\u2014\u2013/\"“]))'")
_OPEN_DOUBLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[{\u2014\u2013/‘]))\"")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def sanitise(text: str) -> str:
    """Drop characters Word/XML cannot hold or that reorder text; collapse all whitespace."""
    if text.isprintable() and "  " not in text and text == text.strip():
        return text  # the usual case: nothing to do (controls, surrogates, bidi are unprintable)
    return _SPACE.sub(" ", _UNSAFE.sub("", text)).strip()


def typographic(text: str) -> str:
    """Curly quotes and apostrophes, as the Ombudsman prints them: 'fault' -> ‘fault’."""
    if "'" not in text and '"' not in text:
        return text
    text = _OPEN_SINGLE.sub("\u2018", text).replace("'", "\u2019")
    return _OPEN_DOUBLE.sub("\u201c", text).replace('"', "\u201d")


def clean(text: str) -> str:
    """Sanitised and typographic: what every string of a statement goes through once."""
    # boilerplate repeats from statement to statement: short strings are cached (long ones,
    # typically notes, are not, so the cache stays small whatever the input)
    return _clean_cached(text) if len(text) <= _CACHED_UP_TO else typographic(sanitise(text))


_CACHED_UP_TO = 1000


@lru_cache(maxsize=4096)
def _clean_cached(text: str) -> str:
    return typographic(sanitise(text))


def markdown_escape(value: object) -> str:
    """Neutralise raw HTML in a value printed into Markdown (Markdown passes HTML through).

    A tag or comment needs "<", a character reference "&...;": both are escaped. A lone ">"
    (the category's "Top > Sub") is plain text in Markdown and stays readable. Links, images
    and link definitions ("[x](url)", "![x](url)", "[x]: url") need an unescaped "[": where a
    value has a "]", its "[" are escaped, so a statement links nowhere.
    """
    text = str(value)
    if "<" in text or "&" in text:
        text = _MD_ENTITY.sub("&amp;", text).replace("<", "&lt;")
    if "]" in text:  # a link, image or link definition could form: no "[" may open one
        text = text.replace("[", "\\[")
    return text
