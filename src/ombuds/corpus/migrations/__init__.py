"""Alembic migrations for the corpus database (run by :func:`ombuds.corpus.store.open_store`)."""
