"""Publication: nothing is published until it has passed the anonymisation check."""

from ombuds.publication.anonymisation import Finding, check_anonymised

__all__ = ["Finding", "check_anonymised"]
