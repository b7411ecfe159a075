from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "clusterbridge.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        from clusterbridge.accounts import dashboard
        from clusterbridge.events import account

        dashboard.register(
            dashboard.Panel(
                key="events",
                title="My events",
                template="events/_account_panel.html",
                context=account.panel_context,
                order=20,
            )
        )
        dashboard.register_personal_data("events", export=account.personal_data)

        from clusterbridge.analytics import groups, network
        from clusterbridge.events import links

        network.register_edge_source(links.add_event_links, fingerprint=links.fingerprint)
        groups.register_event_hook(links.create_group_event)
