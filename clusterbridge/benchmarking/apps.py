from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "clusterbridge.benchmarking"
    label = "benchmarking"
    verbose_name = "Benchmarking"

    def ready(self) -> None:
        from clusterbridge.accounts import dashboard
        from clusterbridge.benchmarking import account

        dashboard.register(
            dashboard.Panel(
                key="benchmarking",
                title="Benchmarking",
                template="benchmarking/_account_panel.html",
                context=account.panel_context,
                order=40,
            )
        )
        dashboard.register_personal_data("benchmarking", export=account.personal_data)
