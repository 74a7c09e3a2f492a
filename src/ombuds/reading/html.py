"""Turn a decision page of the Ombudsman's website (HTML) into the plain text the parser reads.

Page furniture (navigation, header and footer, scripts, "Back to top" links) is dropped;
headings, paragraphs and list items each become a line, list items marked "- ".

The page is read as a stream of tags and text in one pass, with no tree: hostile pages
(tags nested thousands deep, thousands left unclosed) cost what their length costs. A tree
builder, whether BeautifulSoup's or an HTML5 one, goes superlinear on exactly those pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

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


# A tag: its name and attributes up to the next ">" (never across another "<", so a stray
# "<" costs only the text up to the next one), a comment, or a declaration / instruction.
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<[!?][^<>]*>?|<(?P<end>/?)(?P<name>[a-zA-Z][a-zA-Z0-9:-]{0,40})"
    r"(?P<attrs>[^<>]{0,8000})>",
    re.DOTALL,
)
_ATTR = re.compile(r"""(?:^|\s)(id|class|role)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr")
)
# Dropped with their content, besides _DROP_TAGS: the document head (its title repeats the
# page's first heading).
_DROP = frozenset((*_DROP_TAGS, "head", "title"))
_BLOCKS = frozenset(_BLOCK_TAGS)
_KEEP_ROOTS = frozenset(("body", "html", "main", "article"))
_BACK_TO_TOP = re.compile(r"\s*back to top\s*", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """True when ``text`` is (probably) an HTML document or fragment."""
    return bool(_HTML_HINT.search(text[:5000]))


def _is_furniture(attrs: str) -> bool:
    for match in _ATTR.finditer(attrs):
        value = match.group(2) or match.group(3) or match.group(4) or ""
        if any(_FURNITURE_ATTR.search(v) for v in value.split()):
            return True
    return False


@dataclass
class _Region:
    """The first <main> or <article>: its text, and how many of its tags are open."""

    name: str
    chunks: list[str] = field(default_factory=list)
    seen: bool = False
    depth: int = 0  # > 0 while inside


@dataclass
class _Reader:
    chunks: list[str] = field(default_factory=list)
    regions: tuple[_Region, _Region] = field(
        default_factory=lambda: (_Region("main"), _Region("article"))
    )
    skipping: str | None = None  # the dropped element being skipped
    skip_depth: int = 0
    link_start: int | None = None  # where the open <a>'s text began (in every list)

    def emit(self, text: str) -> None:
        self.chunks.append(text)
        for region in self.regions:
            if region.depth:
                region.chunks.append(text)

    def start(self, name: str, attrs: str) -> None:
        if self.skipping is not None:
            if name == self.skipping:
                self.skip_depth += 1
            return
        closed = attrs.endswith("/") or name in _VOID
        if not closed and (
            name in _DROP or (name not in _KEEP_ROOTS and attrs and _is_furniture(attrs))
        ):
            self.skipping, self.skip_depth = name, 1
            return
        for region in self.regions:
            if name == region.name and not closed:
                if not region.seen:
                    region.seen, region.depth = True, 1
                elif region.depth:
                    region.depth += 1
        if name == "br":
            self.emit("\n")
        elif name == "li":
            self.emit("\n- ")
        elif name in _BLOCKS:
            self.emit("\n")
        elif name == "a":
            self.link_start = len(self.chunks)

    def end(self, name: str) -> None:
        if self.skipping is not None:
            if name == self.skipping:
                self.skip_depth -= 1
                if not self.skip_depth:
                    self.skipping = None
            return
        if name == "a" and self.link_start is not None:
            self._drop_back_to_top(self.link_start)
            self.link_start = None
        if name == "li" or name in _BLOCKS:
            self.emit("\n")
        elif name in ("td", "th"):
            self.emit(" ")
        for region in self.regions:
            if name == region.name and region.depth:
                region.depth -= 1

    def _drop_back_to_top(self, start: int) -> None:
        """Remove the link just closed when it only says "Back to top"."""
        text = "".join(self.chunks[start:])
        if len(text) > 40 or not _BACK_TO_TOP.fullmatch(text):
            return
        count = len(self.chunks) - start
        del self.chunks[start:]
        for region in self.regions:
            if region.depth and count <= len(region.chunks):
                del region.chunks[len(region.chunks) - count :]

    def text(self) -> str:
        for region in self.regions:
            if region.seen:
                return "".join(region.chunks)
        return "".join(self.chunks)


def html_to_text(html: str) -> str:
    """The page's content as lines of text (headings, paragraphs, "- " list items)."""
    reader = _Reader()
    position = 0
    for match in _TOKEN.finditer(html):
        if match.start() > position and reader.skipping is None:
            reader.emit(unescape(html[position : match.start()]))
        position = match.end()
        name = match.group("name")
        if name is None:
            continue  # comment, doctype, processing instruction
        name = name.lower()
        if match.group("end"):
            reader.end(name)
        else:
            reader.start(name, match.group("attrs"))
    if position < len(html) and reader.skipping is None:
        reader.emit(unescape(html[position:]))
    text = reader.text()
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line or line == "-":
            continue
        if out and out[-1] == "-":
            out[-1] = f"- {line}"
            continue
        out.append(line)
    return "\n".join(out)
