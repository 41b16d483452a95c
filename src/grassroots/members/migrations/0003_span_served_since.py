"""MembershipSpan.served_since: the span's start moved back by the member's earlier days of
membership, so the party age on a day is one subtraction (the dashboard's party-age bands)."""

from datetime import timedelta

from django.db import migrations, models


def fill_served_since(apps, schema_editor):
    span_model = apps.get_model("members", "MembershipSpan")
    batch, member, served = [], None, timedelta(0)
    for span in span_model.objects.order_by("member_id", "valid_from").iterator(chunk_size=5000):
        if span.member_id != member:
            member, served = span.member_id, timedelta(0)
        span.served_since = span.valid_from - served
        if span.valid_to is not None:
            served += span.valid_to - span.valid_from
        batch.append(span)
        if len(batch) >= 5000:
            span_model.objects.bulk_update(batch, ["served_since"])
            batch = []
    span_model.objects.bulk_update(batch, ["served_since"])


class Migration(migrations.Migration):
    dependencies = [("members", "0002_no_overlap")]

    operations = [
        migrations.AddField(
            model_name="membershipspan",
            name="served_since",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(fill_served_since, migrations.RunPython.noop),
    ]
