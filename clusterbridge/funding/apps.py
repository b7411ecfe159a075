from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "clusterbridge.funding"
    label = "funding"
    verbose_name = "Funding instruments"

    def ready(self):
        from clusterbridge.core import home
        from clusterbridge.funding.views import home_section

        home.register(
            home.Section(
                key="funding", order=10, template="funding/_home.html", context=home_section
            )
        )
        from django.db.models.signals import post_migrate

        from clusterbridge.funding import record_types  # noqa: F401 — registers with interop
        from clusterbridge.funding.index import ensure_triggers

        post_migrate.connect(ensure_triggers, dispatch_uid="clusterbridge-funding-search-triggers")
