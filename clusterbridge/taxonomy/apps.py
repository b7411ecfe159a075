from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "clusterbridge.taxonomy"
    label = "taxonomy"
    verbose_name = "Reference taxonomy"
