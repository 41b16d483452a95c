from django.db import migrations

from grassroots.core.migration_ops import no_overlap


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [no_overlap("members_membershipspan", "member_id")]
