"""Accounts made before self-service sign-up were made by administrators, who knew their
holders: their e-mail addresses count as confirmed, so that these people keep registering
clusters (roles.is_verified) without a confirmation e-mail. An address shared by several
accounts is left unconfirmed (allauth keeps a confirmed address to one account)."""

from collections import Counter

from django.conf import settings
from django.db import migrations


def confirm_existing_addresses(apps, schema_editor):
    app_label, model_name = settings.AUTH_USER_MODEL.split(".")
    User = apps.get_model(app_label, model_name)
    EmailAddress = apps.get_model("account", "EmailAddress")
    accounts = [
        (pk, email.strip().lower())
        for pk, email in User.objects.exclude(email="").values_list("pk", "email")
        if email.strip()
    ]
    holders = Counter(email for _, email in accounts)
    taken = {email.lower() for email in EmailAddress.objects.values_list("email", flat=True)}
    with_addresses = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(user_id=pk, email=email, verified=True, primary=True)
        for pk, email in accounts
        if holders[email] == 1 and email not in taken and pk not in with_addresses
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("account", "0009_emailaddress_unique_primary_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    operations = [migrations.RunPython(confirm_existing_addresses, migrations.RunPython.noop)]
