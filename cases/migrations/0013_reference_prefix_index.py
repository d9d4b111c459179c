"""A btree index for reference searches that start with "RC-" (desk.selectors.case_search turns
them into prefix searches), PostgreSQL only. Django's istartswith is
`UPPER(reference::text) LIKE UPPER('RC-2026-0012%')`; text_pattern_ops lets that LIKE use the
index whatever the database's collation. SQLite scans, which is fine at its sizes."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS cases_case_reference_prefix "
        "ON cases_case (UPPER(reference::text) text_pattern_ops)"
    )
    schema_editor.execute("ANALYZE cases_case")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cases_case_reference_prefix")


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_search_trigram")]

    operations = [migrations.RunPython(create, drop)]
