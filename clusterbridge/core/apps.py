from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clusterbridge.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from django.db.models.signals import post_migrate

        from clusterbridge.core.search import ensure_fulltext

        post_migrate.connect(ensure_fulltext, dispatch_uid="clusterbridge-ensure-fulltext")

        from clusterbridge.core import personal

        personal.register()
