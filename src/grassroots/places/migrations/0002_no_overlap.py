from django.db import migrations

from grassroots.core.migration_ops import no_overlap


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [no_overlap("places_placeversion", "place_id")]
