"""The spreadsheet record type of projects, registered with interop (projects/apps.py)."""

from django.db.models import Q

from clusterbridge.clusters.models import Cluster
from clusterbridge.interop.sheets import (
    CellError,
    Column,
    RecordType,
    choice_column,
    country_column,
    features_column,
    register,
)
from clusterbridge.projects.filtersets import ProjectFilterSet
from clusterbridge.projects.models import Project, Stage, Visibility


def read_cluster(text: str, lookups):
    """A published cluster of the catalogue, by slug or by name (case does not matter).
    Whether the importer may hand the project to it is the projects' service's rule."""
    if not text:
        return None
    found = list(
        Cluster.objects.public().filter(Q(slug=text.strip()) | Q(name__iexact=text.strip()))[:2]
    )
    if len(found) != 1:
        raise CellError(f"no single published cluster is called “{text}”")
    return found[0]


@register("projects")
def projects() -> RecordType:
    return RecordType(
        key="projects",
        label="Projects",
        model=Project,
        key_columns=("name",),
        queryset=lambda user: (
            Project.objects.visible_to(user)
            .real()
            .select_related("country")
            .prefetch_related("features")
            .order_by("call", "name", "pk")
        ),
        filterset=lambda: ProjectFilterSet,
        columns=[
            Column(
                "name",
                "Name or acronym of the project; finds the record to update.",
                "SECURVERSE",
                required=True,
            ),
            Column("organisation", "Organisation that runs it.", "Example Oy"),
            country_column(example="FI"),
            choice_column(
                "stage",
                "idea, prototyping, demonstrator, pilot or market.",
                "prototyping",
                Stage.choices,
            ),
            Column("description", "What the solution does.", ""),
            features_column(),
            choice_column(
                "visibility",
                "public or private (private: only its owner and administrators see it).",
                "public",
                Visibility.choices,
            ),
            Column("call", "The call that funded it.", "SecurIT Open call 1"),
            Column("supporting_cluster", "Cluster that supported it.", ""),
            Column(
                "owner_cluster",
                "Slug or name of the catalogue cluster that owns it (its managers may change it).",
                "",
                read=read_cluster,
                write=lambda project: (
                    project.owner_cluster.slug if project.owner_cluster_id else ""
                ),
            ),
        ],
    )
