"""What the projects app shows on "My ClusterBridge" and holds about a person: the projects
they own. Deleting the account keeps the projects (their owner becomes empty)."""

from django.http import HttpRequest

from clusterbridge.accounts import dashboard
from clusterbridge.projects.models import Project


def projects_panel(request: HttpRequest) -> dict:
    return {"projects": list(Project.objects.filter(owner=request.user).order_by("name"))}


def export(user) -> list[dict]:
    return [
        {
            "name": project.name,
            "organisation": project.organisation,
            "visibility": project.visibility,
            "stage": project.stage,
            "description": project.description,
            "features": sorted(feature.code for feature in project.features.all()),
            "created_at": project.created_at,
            "deleted": project.is_deleted,
        }
        for project in Project.all_objects.filter(owner=user).prefetch_related("features")
    ]


def register() -> None:
    dashboard.register(
        dashboard.Panel(
            key="projects",
            title="My projects",
            order=50,
            template="projects/panels/projects.html",
            context=projects_panel,
        )
    )
    dashboard.register_personal_data("projects", export=export)
