from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "clusterbridge.projects"
    label = "projects"
    verbose_name = "Projects"

    def ready(self):
        from clusterbridge.projects import personal

        personal.register()
        from clusterbridge.projects import record_types  # noqa: F401 — registers with interop
        from clusterbridge.projects.models import Project
        from clusterbridge.taxonomy import profiles

        # Matching ranks funding for projects (/api/v1/projects/<id>/matches/, match matrix).
        profiles.register(
            profiles.ProfileKind(
                "projects",
                "Projects",
                visible=lambda user: Project.objects.real().visible_to(user),
            )
        )
