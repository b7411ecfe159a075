from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "clusterbridge.marketplace"
    label = "marketplace"
    verbose_name = "Marketplace"

    def ready(self) -> None:
        from clusterbridge.accounts import dashboard
        from clusterbridge.marketplace import account

        dashboard.register(
            dashboard.Panel(
                key="marketplace",
                title="My marketplace posts",
                template="marketplace/_account_panel.html",
                context=account.panel_context,
                order=15,
            )
        )
        dashboard.register_personal_data("marketplace", export=account.personal_data)

        from clusterbridge.analytics import network
        from clusterbridge.marketplace import links

        network.register_edge_source(links.add_post_links, fingerprint=links.fingerprint)

        from django.db.models.signals import post_migrate

        from clusterbridge.marketplace.matching import ensure_triggers

        # Once per migrate or flush, not once per installed app (post_migrate is sent for
        # each): the DDL took about 0.4 s a time on PostgreSQL.
        post_migrate.connect(
            ensure_triggers, sender=self, dispatch_uid="clusterbridge-marketplace-version"
        )
