"""Hostile and giant inputs for the reader, generated to a size (all text invented).

Each shape once made reading superlinear (seconds to minutes at 50-300 KB): one paragraph of
many sentences, chains of abbreviations, sentences with no full stop, a complaint of many
list intros, pages nested thousands deep or with thousands of unclosed tags. The tests run
them at a modest size; ``benchmarks/parse_pathological.py`` times them up to 5 MB.
"""

from __future__ import annotations

from collections.abc import Callable

HEAD = """Northmere Borough Council (24 555 010)
Category : Housing > Allocations
Decision : Closed after initial enquiries
Decision date : 02 Feb 2025
The Ombudsman's final decision:
Summary: We will not investigate Ms F's complaint about her housing register banding. She can ask for a review of the banding and it is reasonable to expect her to do so.
The complaint
- Ms F complained the Council placed her in the wrong band.
The Ombudsman's role and powers
- We investigate complaints about 'maladministration' and 'service failure'. (Local Government Act 1974, sections 26(1) and 26A(1), as amended)
My assessment
"""  # noqa: E501
TAIL = """Final decision
- We will not investigate Ms F's complaint because she can ask the Council to review its decision.
Investigator's decision on behalf of the Ombudsman
"""


def _statement(body: str) -> str:
    return HEAD + body + "\n" + TAIL


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def one_paragraph(size: int) -> str:
    return _statement(_repeat("The Council said no. ", size))


def abbreviations(size: int) -> str:
    return _statement(_repeat("See Mr. ", size))


def no_full_stop(size: int) -> str:
    return _statement(_repeat("the council did not reply and ", size))


def unended_lines(size: int) -> str:
    return _statement(_repeat("- the council did not reply\n", size))


def reasons(size: int) -> str:
    unit = (
        "We will not investigate because the complaint is late and the court is better "
        "placed and the Information Commissioner is better placed. "
    )
    return _statement(_repeat(unit, size))


def ordinary(size: int) -> str:
    unit = (
        "- The Council reviewed Ms F's banding in March. It explained its reasons in a "
        "letter and told her she could ask for a further review. There is not enough "
        "evidence of fault to justify investigating.\n"
    )
    return _statement(_repeat(unit, size))


def citations(size: int) -> str:
    unit = "(Local Government Act 1974, section 26(6)(c), as amended, section 34(B)) "
    return _statement(_repeat(unit, size))


def list_intros(size: int) -> str:
    complaint = _repeat("she complained that:\n", size)
    return HEAD.replace("The complaint\n", "The complaint\n" + complaint) + TAIL


def nested_html(size: int) -> str:
    depth = max(1, size // 11)
    inner = "<h2>Final decision</h2><p>We will not investigate Ms F's complaint.</p>"
    return "<html><body>" + "<div>" * depth + inner + "</div>" * depth + "</body></html>"


def unclosed_html(size: int) -> str:
    unit = "<p><b><i><span>Final decision: we will not investigate "
    return "<html><body><main>" + _repeat(unit, size) + "</main></body></html>"


def broken_tags_html(size: int) -> str:
    unit = '<div class="x <p a="1 <li>We will not investigate <a href="'
    return "<html><body>" + _repeat(unit, size)


SHAPES: dict[str, Callable[[int], str]] = {
    "one_paragraph": one_paragraph,
    "abbreviations": abbreviations,
    "no_full_stop": no_full_stop,
    "unended_lines": unended_lines,
    "reasons": reasons,
    "ordinary": ordinary,
    "citations": citations,
    "list_intros": list_intros,
    "nested_html": nested_html,
    "unclosed_html": unclosed_html,
    "broken_tags_html": broken_tags_html,
}
