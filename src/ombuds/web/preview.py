"""A drafted statement (Markdown) as the HTML of its preview, safely.

Raw HTML in the text is never passed through (``markdown_html`` escapes it), and headings move
down two levels so that the page keeps its own heading order.
"""

from __future__ import annotations

from markupsafe import Markup

from ombuds.drafting.edited import markdown_html

_CLASSES = {
    "<p>": '<p class="govuk-body">',
    "<ul>": '<ul class="govuk-list govuk-list--bullet">',
    "<ol>": '<ol class="govuk-list govuk-list--number">',
}


def statement_html(text: str) -> Markup:
    html = markdown_html(text)
    for level in (4, 3, 2, 1):  # h1 -> h3 ... h4 -> h6, deepest first so none moves twice
        new = min(level + 2, 6)
        html = html.replace(f"<h{level}>", f'<h{new} class="govuk-heading-s">')
        html = html.replace(f"</h{level}>", f"</h{new}>")
    for tag, classed in _CLASSES.items():
        html = html.replace(tag, classed)
    # Safe: markdown_html escaped every character of the text (markdown-it's html is off).
    return Markup(html)
