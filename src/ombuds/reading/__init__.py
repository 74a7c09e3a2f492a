"""Reading published decision statements back into :class:`~ombuds.domain.record.DecisionRecord`.

Public API (used by the corpus): ``parse_text``, ``parse_html``, ``iter_records`` with its
``Parsed`` / ``ParseFailure`` results, and ``ParseError``.
"""

from ombuds.reading.parser import ParseError, parse_html, parse_text
from ombuds.reading.sources import Parsed, ParseFailure, iter_records

__all__ = ["ParseError", "ParseFailure", "Parsed", "iter_records", "parse_html", "parse_text"]
