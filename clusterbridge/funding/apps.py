from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "clusterbridge.funding"
    label = "funding"
    verbose_name = "Funding instruments"
