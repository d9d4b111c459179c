"""Trigram GIN indexes for the desk's search (desk.selectors.case_search), PostgreSQL only.

Django's icontains is `UPPER(col::text) LIKE UPPER('%text%')`, so each index is on UPPER(col)
with gin_trgm_ops: PostgreSQL then serves a substring search of three or more characters
(Chinese included) from the index. SQLite has no pg_trgm: there the search scans, which is
fine at its sizes."""

from django.db import migrations

INDEXES = [
    ("cases_case_reference_trgm", "cases_case", "reference"),
    ("cases_case_title_trgm", "cases_case", "title"),
    ("cases_case_description_trgm", "cases_case", "description"),
    ("cases_case_platform_ref_trgm", "cases_case", "platform_reference"),
    ("channels_entry_ext_ref_trgm", "channels_channelentry", "external_reference"),
    ("accounts_user_username_trgm", "accounts_user", "username"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
        )
    # Statistics of the new expressions: without them the planner guesses a LIKE matches
    # ~5% of rows and scans a million cases for a term that matches none.
    for table in sorted({table for _name, table, _column in INDEXES}):
        schema_editor.execute(f"ANALYZE {table}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_language_email_notifications"),
        ("cases", "0011_queue_urgency"),
        ("channels", "0002_external_bodies"),
    ]

    operations = [migrations.RunPython(create, drop)]
