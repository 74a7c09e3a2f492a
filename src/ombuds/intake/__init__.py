"""Intake: complaint files in, validated :class:`~ombuds.domain.complaint.Complaint` out."""

from ombuds.intake.load import ComplaintFileError, Problem, load_complaint, parse_complaint

__all__ = ["ComplaintFileError", "Problem", "load_complaint", "parse_complaint"]
