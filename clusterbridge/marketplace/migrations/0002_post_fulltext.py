from django.db import migrations

from clusterbridge.core.search import fulltext_operation


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_posts_and_messages")]
    operations = [fulltext_operation("marketplace_post")]
