from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "clusterbridge.matching"
    label = "matching"
    verbose_name = "Matching"
