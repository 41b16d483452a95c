"""The catalogue of positions (``grassroots.cadres.catalogue``)."""

from django.db import migrations

from grassroots.cadres.catalogue import POSITIONS


def create(apps, schema_editor):
    Position = apps.get_model("cadres", "Position")
    for code, name, body, committee, order in POSITIONS:
        Position.objects.update_or_create(
            code=code, defaults={"name": name, "body": body, "committee": committee, "order": order}
        )


def remove(apps, schema_editor):
    apps.get_model("cadres", "Position").objects.filter(code__in=[p[0] for p in POSITIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cadres", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
