import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The owning cluster becomes a link to the catalogue (it was free text, always empty in
    the reference data), so the cluster's managers get rights over the project."""

    dependencies = [
        ("projects", "0002_fulltext"),
        ("clusters", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="project", name="owner_cluster"),
        migrations.AddField(
            model_name="project",
            name="owner_cluster",
            field=models.ForeignKey(
                blank=True,
                help_text="The cluster that owns the project, when a cluster does; its managers "
                "may change it.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="projects",
                to="clusters.cluster",
                verbose_name="owner cluster",
            ),
        ),
    ]
