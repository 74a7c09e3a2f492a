"""Reading one page of the decisions search results: which decisions it lists, and how many.

Pure functions over HTML text; no network. The markup around each result is not relied on:
a result is any link whose path is a decision page, and its details are read from the
smallest element that holds that link and no other decision link.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
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
    """The decisions listed on one results page, in page order, each once."""
    soup = BeautifulSoup(html, "lxml")
    total = _total(site, soup.get_text(" ", strip=True))
    items: list[ListingItem] = []
    seen: set[str] = set()
    anchors = [a for a in soup.find_all("a", href=True) if isinstance(a, Tag)]
    decision_links = {id(a): _decision_url(site, a, page_url) for a in anchors}
    for anchor in anchors:
        url = decision_links[id(anchor)]
        if url is None or url in seen:
            continue
        seen.add(url)
        container = _item_container(anchor, url, site, page_url)
        items.append(_item(site, anchor, container, url))
    return ListingPage(items=items, total=total)


def _total(site: Site, text: str) -> int | None:
    match = site.results_count_re.search(text)
    return int(match.group("count").replace(",", "")) if match else None


def _decision_url(site: Site, anchor: Tag, page_url: str) -> str | None:
    href = str(anchor.get("href", ""))
    absolute = urljoin(page_url, href)
    parts = urlsplit(absolute)
    if not site.decision_path_re.match(parts.path):
        return None
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _item_container(anchor: Tag, url: str, site: Site, page_url: str) -> Tag:
    """The largest ancestor of ``anchor`` that links to this decision and to no other."""
    best: Tag = anchor
    node = anchor.parent
    while isinstance(node, Tag) and node.name not in ("body", "html", "[document]"):
        links = {_decision_url(site, a, page_url) for a in node.find_all("a", href=True)}
        links.discard(None)
        if links != {url}:
            break
        best = node
        node = node.parent
    return best


def _item(site: Site, anchor: Tag, container: Tag, url: str) -> ListingItem:
    match = site.decision_path_re.match(urlsplit(url).path)
    assert match is not None  # only decision links reach here
    slug = match.group("slug")
    title = " ".join(anchor.get_text(" ", strip=True).split())
    ref_match = site.title_reference_re.search(title)
    reference = ref_match.group("reference") if ref_match else slug.replace("-", " ")
    organisation = title[: ref_match.start()].strip() if ref_match else None
    text = " ".join(container.get_text(" ", strip=True).split())
    meta = site.item_meta_re.search(text.replace(title, " ", 1))
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
