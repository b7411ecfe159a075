from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "clusterbridge.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from clusterbridge.accounts import dashboard
        from clusterbridge.notifications import panels

        dashboard.register(
            dashboard.Panel(
                key="notifications",
                title="Notifications",
                template="notifications/_account_panel.html",
                context=panels.account_panel,
                order=80,
            )
        )
        dashboard.register_personal_data(
            "notifications", export=panels.export_personal_data, erase=panels.erase
        )
