"""The bounds ombuds keeps on everything that comes from outside (one policy, one place).

Hostile input is normal input: every edge that reads a file, a page, a query or a response
checks it against these limits and refuses clearly (naming the file, field or address and the
limit) rather than running out of time or memory. The README's "Limits" section lists them.
"""

from __future__ import annotations

#: A complaint file (YAML/JSON), or an office's --categories file; real ones are a few KiB.
MAX_COMPLAINT_BYTES = 1024 * 1024

#: Nesting of mappings and lists in any YAML/JSON document ombuds loads.
MAX_DOCUMENT_DEPTH = 64

#: Nodes that YAML aliases may add once expanded ("billion laughs" stays a refusal).
MAX_ALIAS_EXPANSION = 10_000

#: A filter value given to search (--organisation, --category...), in characters.
MAX_FILTER_CHARS = 300

#: A search query, in characters.
MAX_QUERY_CHARS = 2_000

#: One HTTP response body, after decompression (the importer's pages and listings).
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
