"""Turn a decision page of the Ombudsman's website (HTML) into the plain text the parser reads.

Page furniture (navigation, header and footer, scripts, "Back to top" links) is dropped;
headings, paragraphs and list items each become a line, list items marked "- ".
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "svg",
    "iframe",
    "button",
    "template",
    "select",
    "input",
)
_BLOCK_TAGS = (
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "tr",
    "blockquote",
    "dl",
    "dt",
    "dd",
    "pre",
    "address",
    "figure",
    "figcaption",
    "hr",
    "body",
)
_FURNITURE_ATTR = re.compile(
    r"(?:^|[-_ ])(?:nav|navbar|navigation|menu|breadcrumbs?|cookie|cookies|banner|footer|"
    r"skip|sidebar|share|social|search|site-header|masthead)(?:$|[-_ ])",
    re.IGNORECASE,
)
_HTML_HINT = re.compile(
    r"<\s*(?:!doctype|html|body|head|div|p|h[1-6]|ul|ol|li|article|main)\b", re.IGNORECASE
)


def looks_like_html(text: str) -> bool:
    """True when ``text`` is (probably) an HTML document or fragment."""
    return bool(_HTML_HINT.search(text[:5000]))


def _is_furniture(tag: object) -> bool:
    attrs = getattr(tag, "attrs", None)
    if not isinstance(attrs, dict):
        return False
    values: list[str] = []
    for name in ("id", "class", "role"):
        value = attrs.get(name)
        if isinstance(value, list):
            values.extend(str(v) for v in value)
        elif value:
            values.append(str(value))
    return any(_FURNITURE_ATTR.search(v) for v in values)


def html_to_text(html: str) -> str:
    """The page's content as lines of text (headings, paragraphs, "- " list items)."""
    soup = BeautifulSoup(html, "lxml")
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_furniture):
        if tag.name not in ("body", "html", "main", "article"):
            tag.decompose()
    for link in soup.find_all("a"):
        if re.fullmatch(r"\s*back to top\s*", link.get_text(), re.IGNORECASE):
            link.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    for br in root.find_all("br"):
        br.replace_with("\n")
    for tag in root.find_all("li"):
        tag.insert_before("\n- ")
        tag.insert_after("\n")
    for tag in root.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    for tag in root.find_all(["td", "th"]):
        tag.insert_after(" ")
    text = root.get_text("")
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line or line == "-":
            continue
        if out and out[-1] == "-":
            out[-1] = f"- {line}"
            continue
        out.append(line)
    return "\n".join(out)
