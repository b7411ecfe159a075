from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "clusterbridge.analytics"
    label = "analytics"
    verbose_name = "Ecosystem analytics"
