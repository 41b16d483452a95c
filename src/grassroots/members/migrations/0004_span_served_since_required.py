"""served_since is filled for every span (0003): required from now on. A migration of its own,
so that on PostgreSQL the ALTER does not run in the transaction that updated the rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("members", "0003_span_served_since")]

    operations = [
        migrations.AlterField(
            model_name="membershipspan",
            name="served_since",
            field=models.DateField(),
        ),
    ]
