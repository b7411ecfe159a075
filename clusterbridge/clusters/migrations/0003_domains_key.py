from django.db import migrations, models


def fill_domains_key(apps, schema_editor):
    from clusterbridge.clusters.models import domains_key

    Cluster = apps.get_model("clusters", "Cluster")
    for cluster in Cluster.objects.only("pk", "domains").iterator():
        key = domains_key(cluster.domains)
        if key:
            Cluster.objects.filter(pk=cluster.pk).update(domains_key=key)


class Migration(migrations.Migration):
    """Domains as fenced, folded entries, so the domain filter matches what the facet counts."""

    dependencies = [("clusters", "0002_fulltext")]

    operations = [
        migrations.AddField(
            model_name="cluster",
            name="domains_key",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_domains_key, migrations.RunPython.noop),
    ]
