"""The history's part of a person's data: the changes they made (in "download my data"),
and, when their account is deleted, those changes attributed to "deleted user" — what
happened stays, who did it goes with the account."""

from django.conf import settings
from django.db.models.signals import pre_delete

from clusterbridge.accounts import dashboard
from clusterbridge.core.models import ObjectChange

DELETED_USER = "deleted user"


def export_history(user) -> list[dict]:
    return [
        {
            "time": change.time,
            "action": change.action,
            "record_type": change.content_type.model,
            "record": change.object_repr,
            "message": change.message,
        }
        for change in ObjectChange.objects.filter(user=user)
        .select_related("content_type")
        .order_by("time", "pk")
    ]


def anonymise_history(sender, instance, **kwargs) -> None:
    # A queryset update: ObjectChange.save() refuses changes to history entries.
    ObjectChange.objects.filter(user=instance).update(user=None, user_name=DELETED_USER)


def register() -> None:
    dashboard.register_personal_data("changes_made", export=export_history)
    pre_delete.connect(
        anonymise_history,
        sender=settings.AUTH_USER_MODEL,
        dispatch_uid="clusterbridge-anonymise-history",
    )
