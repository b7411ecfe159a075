from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clusterbridge.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from django.db.models.signals import post_migrate

        from clusterbridge.core.search import ensure_fulltext

        # Once per migrate or flush, not once per installed app (post_migrate is sent for
        # each): the DDL took about 0.4 s a time on PostgreSQL.
        post_migrate.connect(
            ensure_fulltext, sender=self, dispatch_uid="clusterbridge-ensure-fulltext"
        )

        from clusterbridge.core import personal

        personal.register()
