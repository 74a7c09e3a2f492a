"""The published-decisions site as data: addresses, query parameters and listing wording.

Kept in ``site.yaml`` beside this module so that a change on the site (a renamed parameter, a
new outcome label) is an edit to data, not to the importer's code.
"""

from __future__ import annotations

import re
from functools import cached_property
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator


class SiteError(ValueError):
    """The site description file is unreadable or incomplete."""


class QueryParams(BaseModel):
    """Names of the search-results query parameters."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    from_date: str
    to_date: str
    page: str
    sort: str


class Site(BaseModel):
    """Everything the importer knows about where and how decisions are listed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    base_url: str
    search_path: str
    params: QueryParams
    sort_value: str
    param_date_format: str
    decision_path: str
    results_count: str
    title_reference: str
    item_kinds: list[str]
    outcomes: list[str]
    listing_date: str
    listing_date_format: str
    summary_label: str
    contact: str
    user_agent: str

    @field_validator("decision_path", "results_count", "title_reference", "listing_date")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value

    @cached_property
    def decision_path_re(self) -> re.Pattern[str]:
        return re.compile(self.decision_path)

    @cached_property
    def results_count_re(self) -> re.Pattern[str]:
        return re.compile(self.results_count)

    @cached_property
    def title_reference_re(self) -> re.Pattern[str]:
        return re.compile(self.title_reference)

    @cached_property
    def item_meta_re(self) -> re.Pattern[str]:
        """'Statement Upheld Council tax 04-Mar-2024' -> kind, outcome, subcategory, date."""
        kinds = "|".join(re.escape(k) for k in self.item_kinds)
        # Longest first, so 'Not upheld' wins over 'Upheld'.
        outcomes = "|".join(re.escape(o) for o in sorted(self.outcomes, key=len, reverse=True))
        return re.compile(
            rf"\b(?P<kind>{kinds})\s+(?P<outcome>{outcomes})\s+(?P<subcategory>.*?)\s*"
            + self.listing_date,
            re.IGNORECASE | re.DOTALL,
        )

    def user_agent_for(self, version: str, contact: str | None = None) -> str:
        """The User-Agent header: names ombuds, its version and whom to contact."""
        return self.user_agent.format(version=version, contact=contact or self.contact)


def load_site(path: Path | None = None) -> Site:
    """Read the site description (the packaged ``site.yaml`` unless ``path`` is given)."""
    if path is None:
        text = resources.files("ombuds.importer").joinpath("site.yaml").read_text("utf-8")
        where = "ombuds/importer/site.yaml"
    else:
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise SiteError(f"{path}: cannot read the site description: {exc}") from exc
        where = str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SiteError(f"{where}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SiteError(f"{where}: expected a mapping of site settings at the top level")
    try:
        return Site.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise SiteError(f"{where}: field {field!r}: {first['msg']}") from exc
