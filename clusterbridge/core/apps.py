from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clusterbridge.core"
    label = "core"
    verbose_name = "Core"
