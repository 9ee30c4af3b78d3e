"""pg_trgm for company-name similarity, and a trigram index on customer names.

Nothing happens on SQLite (the matching falls back to a substring search there).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # Serves both similarity() ordering candidates and icontains on the Chinese name.
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS inquiries_customer_name_trgm "
        "ON customers_customer USING gin (name_zh gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS inquiries_customer_name_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0001_initial"),
        ("customers", "0002_researcher_nudge"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
