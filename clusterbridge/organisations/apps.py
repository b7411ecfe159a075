from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "clusterbridge.organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from clusterbridge.accounts import dashboard
        from clusterbridge.organisations import account

        dashboard.register(
            dashboard.Panel(
                key="organisations",
                title="My organisations",
                template="organisations/_account_panel.html",
                context=account.panel_context,
                order=10,
            )
        )
        dashboard.register_personal_data("organisations", export=account.personal_data)
