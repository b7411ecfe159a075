from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "clusterbridge.clusters"
    label = "clusters"
    verbose_name = "Cluster catalogue"

    def ready(self):
        from clusterbridge.clusters import personal

        personal.register()
        from clusterbridge.clusters import record_types  # noqa: F401 — registers with interop
