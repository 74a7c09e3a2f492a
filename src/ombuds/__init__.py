"""ombuds: complaint assessment for public-services ombudsmen.

The package follows the casework loop: ``intake`` (complaint files) -> ``engine`` applying a
``rulebook`` -> ``drafting`` of the decision statement -> ``publication`` -> ``reading`` of
published decisions into a ``corpus``. ``domain`` holds the plain data every layer shares.
"""

__version__ = "0.1.0"
