"""A person's own account: download everything held about them, delete the account.

Both walk the personal-data registry (`dashboard.register_personal_data`), so an app that
keeps something about a person adds it to the download and to the deletion in its own
`AppConfig.ready()`.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clusterbridge.accounts import dashboard, roles

EXPORT_FORMAT = "clusterbridge-personal-data/1"


def export_personal_data(user) -> dict[str, Any]:
    """Everything ClusterBridge holds about `user`, as JSON-able data."""
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "account": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
        },
        "roles": roles.role_names(user),
    }
    for entry in dashboard.personal_data():
        data[entry.key] = entry.export(user)
    return data


def is_last_administrator(user) -> bool:
    if not user.is_superuser:
        return False
    others = (
        get_user_model()
        .objects.select_for_update()
        .filter(is_superuser=True, is_active=True)
        .exclude(pk=user.pk)
    )
    return not others.exists()


@transaction.atomic
def delete_account(user) -> None:
    """Delete the account. What the person wrote for others stays (clusters, projects,
    history); each app's `erase` hook removes what was private to them first, and every
    history entry they made is attributed to "deleted user"."""
    if is_last_administrator(user):
        raise ValidationError(
            "You are the last administrator: make someone else an administrator before "
            "deleting your account."
        )
    for entry in dashboard.personal_data():
        if entry.erase is not None:
            entry.erase(user)
    # The history's entries by the person become "deleted user" (core.personal, on the
    # user's pre_delete signal): what happened stays, who did it goes with the account.
    user.delete()
