from django.db import migrations

from clusterbridge.core.search import fulltext_operation


class Migration(migrations.Migration):
    dependencies = [("clusters", "0001_initial")]
    operations = [fulltext_operation("clusters_cluster")]
