from django.db import migrations

from clusterbridge.core.search import fulltext_operation


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_organisations_members_cluster_links")]
    operations = [fulltext_operation("organisations_organisation")]
