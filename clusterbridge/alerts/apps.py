from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "clusterbridge.alerts"
    label = "alerts"
    verbose_name = "Saved searches, alerts and feeds"

    def ready(self):
        from clusterbridge.alerts import personal, shortlist

        personal.register()
        shortlist.register()
