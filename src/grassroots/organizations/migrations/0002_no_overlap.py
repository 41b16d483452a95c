from django.db import migrations

from grassroots.core.migration_ops import no_overlap


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [no_overlap("organizations_organizationversion", "organization_id")]
