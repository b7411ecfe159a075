from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "clusterbridge.interop"
    label = "interop"
    verbose_name = "Imports and exports"
