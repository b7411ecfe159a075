from django.db import migrations

from clusterbridge.core.search import fulltext_operation


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [fulltext_operation("projects_project")]
