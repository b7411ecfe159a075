from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clusterbridge.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from clusterbridge.accounts import personal

        personal.register()
