"""The precedent corpus: storage, ingest, search and statistics over published decisions."""
