from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "clusterbridge.projects"
    label = "projects"
    verbose_name = "Projects"

    def ready(self):
        from clusterbridge.projects import personal

        personal.register()
