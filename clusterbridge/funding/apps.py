from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "clusterbridge.funding"
    label = "funding"
    verbose_name = "Funding instruments"

    def ready(self):
        from clusterbridge.funding import record_types  # noqa: F401 — registers with interop
