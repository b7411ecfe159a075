from django.db import migrations

from clusterbridge.core.search import fulltext_operation


class Migration(migrations.Migration):
    dependencies = [("events", "0001_events_registrations_matchmaking")]
    operations = [fulltext_operation("events_event")]
