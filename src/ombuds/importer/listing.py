"""Reading one page of the decisions search results: which decisions it lists, and how many.

Pure functions over HTML text; no network. The markup around each result is not relied on:
a result is any link whose path is a decision page, and its details are read from the
smallest element that holds that link and no other decision link.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode, urljoin, urlsplit

import lxml.html
from lxml import etree
from pydantic import BaseModel, ConfigDict

from ombuds.importer.site import Site


class ListingItem(BaseModel):
    """One search result: where the decision page is and what the listing says about it."""

    model_config = ConfigDict(frozen=True)

    url: str
    slug: str
    reference: str
    organisation: str | None = None
    category_slug: str
    subcategory_slug: str
    kind: str | None = None
    outcome: str | None = None
    subcategory: str | None = None
    decision_date: date | None = None
    summary: str | None = None


class ListingPage(BaseModel):
    """The results on one page, and the total the site reports for the whole search."""

    model_config = ConfigDict(frozen=True)

    items: list[ListingItem]
    total: int | None = None


def search_url(site: Site, base_url: str, since: date, until: date, page: int) -> str:
    """The address of results page ``page`` (1-based) for decisions dated since..until."""
    query = {
        site.params.from_date: since.strftime(site.param_date_format),
        site.params.to_date: until.strftime(site.param_date_format),
        site.params.page: str(page),
        site.params.sort: site.sort_value,
    }
    return (
        urljoin(base_url.rstrip("/") + "/", site.search_path.lstrip("/")) + "?" + urlencode(query)
    )


def decision_slug(site: Site, url: str) -> str | None:
    """'24-101-202' for a decision page address, None for any other address."""
    match = site.decision_path_re.match(urlsplit(url).path)
    return match.group("slug") if match else None


def parse_listing(site: Site, html: str, page_url: str) -> ListingPage:
    """The decisions listed on one results page, in page order, each once.

    Linear in the page: every link's address is worked out once, and the elements that hold
    links to one decision only are found in one bottom-up pass (see :func:`_sole_links`).
    """
    root = _document(html)
    if root is None:
        return ListingPage(items=[], total=None)
    total = _total(site, _text(root))
    anchors = [a for a in root.iter("a") if a.get("href") is not None]
    linked = [(a, url) for a in anchors if (url := _decision_url(site, a, page_url)) is not None]
    sole = _sole_links(linked)
    items: list[ListingItem] = []
    seen: set[str] = set()
    for anchor, url in linked:
        if url in seen:
            continue
        seen.add(url)
        items.append(_item(site, anchor, _item_container(anchor, url, sole), url))
    return ListingPage(items=items, total=total)


def _document(html: str) -> etree._Element | None:
    """The page as an lxml tree without comments (text a reader never sees); None if empty."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return root


def _text(element: etree._Element) -> str:
    """Its text, pieces stripped and joined by one space (like BeautifulSoup's get_text)."""
    return " ".join(piece.strip() for piece in element.itertext() if piece.strip())


def _total(site: Site, text: str) -> int | None:
    match = site.results_count_re.search(text)
    return int(match.group("count").replace(",", "")) if match else None


def _decision_url(site: Site, anchor: etree._Element, page_url: str) -> str | None:
    href = str(anchor.get("href", ""))
    absolute = urljoin(page_url, href)
    parts = urlsplit(absolute)
    if not site.decision_path_re.match(parts.path):
        return None
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


_META_SPAN = 2_000
_SEVERAL = ""  # marks an element holding links to more than one decision


def _sole_links(linked: list[tuple[etree._Element, str]]) -> dict[etree._Element, str]:
    """For each element holding decision links: the one decision it links to, or _SEVERAL.

    Walking up from each link stops at the first ancestor already known to hold this
    decision or several: everything above it is known too. Each element changes state at
    most twice (none -> one decision -> several), so the pass is linear in the page.
    """
    state: dict[etree._Element, str] = {}
    for anchor, url in linked:
        node: etree._Element | None = anchor
        while node is not None:
            known = state.get(node)
            if known in (url, _SEVERAL):
                break
            state[node] = url if known is None else _SEVERAL
            node = node.getparent()
    return state


def _item_container(
    anchor: etree._Element, url: str, sole: dict[etree._Element, str]
) -> etree._Element:
    """The largest ancestor of ``anchor`` that links to this decision and to no other."""
    best = anchor
    node = anchor.getparent()
    while node is not None and node.tag not in ("body", "html") and sole.get(node) == url:
        best = node
        node = node.getparent()
    return best


def _item(site: Site, anchor: etree._Element, container: etree._Element, url: str) -> ListingItem:
    match = site.decision_path_re.match(urlsplit(url).path)
    assert match is not None  # only decision links reach here
    slug = match.group("slug")
    title = " ".join(_text(anchor).split())
    ref_match = site.title_reference_re.search(title)
    reference = ref_match.group("reference") if ref_match else slug.replace("-", " ")
    organisation = title[: ref_match.start()].strip() if ref_match else None
    text = " ".join(_text(container).split())
    # The details follow the title; a bounded span keeps the lazy match linear on any page.
    meta = site.item_meta_re.search(text.replace(title, " ", 1)[:_META_SPAN])
    summary = None
    label_at = text.find(site.summary_label)
    if label_at >= 0:
        summary = text[label_at + len(site.summary_label) :].strip() or None
    return ListingItem(
        url=url,
        slug=slug,
        reference=reference,
        organisation=organisation or None,
        category_slug=match.group("category"),
        subcategory_slug=match.group("subcategory"),
        kind=meta.group("kind") if meta else None,
        outcome=meta.group("outcome") if meta else None,
        subcategory=(meta.group("subcategory").strip() or None) if meta else None,
        decision_date=_listing_date(site, meta.group("date")) if meta else None,
        summary=summary,
    )


def _listing_date(site: Site, text: str) -> date | None:
    try:
        return datetime.strptime(text, site.listing_date_format).date()
    except ValueError:
        return None
