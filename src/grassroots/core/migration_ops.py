"""Migration operations that only apply on PostgreSQL (SQLite relies on the services' checks)."""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def postgres_sql(sql: str, reverse_sql: str) -> migrations.RunPython:
    """Run ``sql`` on PostgreSQL only; a no-op elsewhere."""

    def forward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    def backward(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(reverse_sql)

    return migrations.RunPython(forward, backward)


def no_overlap(table: str, key_column: str) -> migrations.RunPython:
    """An exclusion constraint: two rows with the same ``key_column`` never overlap in time."""
    name = f"{table}_no_overlap"
    return postgres_sql(
        "CREATE EXTENSION IF NOT EXISTS btree_gist; "
        f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist "
        f"({key_column} WITH =, daterange(valid_from, valid_to, '[)') WITH &&)",
        f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}",
    )
