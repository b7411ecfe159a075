from django.db import migrations

from clusterbridge.core.search import fulltext_operation


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]
    operations = [fulltext_operation("funding_instrument")]
