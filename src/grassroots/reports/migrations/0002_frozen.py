"""A sent report never changes: triggers refuse every UPDATE and DELETE of
``reports_submission`` on SQLite and on PostgreSQL.

On SQLite the DELETE trigger lets a row go only while ``reports_thawed()`` is true: the
function is registered on each connection by the reports app and is true only inside the
``flush`` command (wiping the whole database). On PostgreSQL ``flush`` is a TRUNCATE, which
row triggers do not see. A schema change that makes SQLite rebuild the table drops its
triggers: such a migration must create them again (``FREEZE_SQLITE``).
"""

from typing import Any

from django.db import migrations

MESSAGE = "reports_submission: a sent report cannot be changed or deleted"

FREEZE_SQLITE = [
    "CREATE TRIGGER reports_submission_no_update BEFORE UPDATE ON reports_submission "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    "CREATE TRIGGER reports_submission_no_delete BEFORE DELETE ON reports_submission "
    f"WHEN NOT reports_thawed() BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
THAW_SQLITE = [
    "DROP TRIGGER IF EXISTS reports_submission_no_update",
    "DROP TRIGGER IF EXISTS reports_submission_no_delete",
]
FREEZE_POSTGRES = [
    "CREATE OR REPLACE FUNCTION reports_submission_frozen() RETURNS trigger AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER reports_submission_frozen BEFORE UPDATE OR DELETE ON reports_submission "
    "FOR EACH ROW EXECUTE FUNCTION reports_submission_frozen()",
]
THAW_POSTGRES = [
    "DROP TRIGGER IF EXISTS reports_submission_frozen ON reports_submission",
    "DROP FUNCTION IF EXISTS reports_submission_frozen()",
]


def per_vendor(sqlite: list[str], postgres: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for statement in {"sqlite": sqlite, "postgresql": postgres}.get(vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.RunPython(
            per_vendor(FREEZE_SQLITE, FREEZE_POSTGRES), per_vendor(THAW_SQLITE, THAW_POSTGRES)
        )
    ]
