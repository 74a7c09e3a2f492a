"""The casework service's storage side: cases, people and the audit trail in the database.

``cases`` holds the actions (one transaction and one audit event each) that the JSON API and
the web pages share; ``people`` the users, passwords, sessions and tokens; ``audit`` the
append-only events; ``tables`` the tables (migration 0003 of the one Alembic history).
"""
