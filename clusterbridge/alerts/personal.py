"""What the alerts app shows on "My ClusterBridge" and holds about a person: saved searches
and profiles with their alerts, and watched calls. All of it is private to its owner, so
deleting the account removes it, history included."""

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest

from clusterbridge.accounts import dashboard
from clusterbridge.alerts.models import SavedSearch, WatchedCall
from clusterbridge.core.models import ObjectChange

PANEL_ITEMS = 5


def alerts_panel(request: HttpRequest) -> dict:
    alerts = list(SavedSearch.objects.filter(owner=request.user)[: PANEL_ITEMS + 1])
    return {"alerts": alerts[:PANEL_ITEMS], "more": len(alerts) > PANEL_ITEMS}


def watches_panel(request: HttpRequest) -> dict:
    watches = list(
        WatchedCall.objects.filter(owner=request.user).select_related("instrument")[
            : PANEL_ITEMS + 1
        ]
    )
    return {"watches": watches[:PANEL_ITEMS], "more": len(watches) > PANEL_ITEMS}


def export_saved_searches(user) -> list[dict]:
    return [
        {
            "name": alert.name,
            "kind": alert.kind,
            "query": alert.query,
            "features": sorted(feature.code for feature in alert.features.all()),
            "country": alert.country.code if alert.country_id else None,
            "description": alert.description,
            "email": alert.frequency,
            "created_at": alert.created_at,
            "last_sent_at": alert.last_sent_at,
        }
        for alert in SavedSearch.objects.filter(owner=user)
        .select_related("country")
        .prefetch_related("features")
    ]


def export_watched_calls(user) -> list[dict]:
    return [
        {
            "call": watch.instrument.name,
            "identifier": watch.instrument.identifier,
            "reminders": watch.remind,
            "since": watch.created_at,
        }
        for watch in WatchedCall.objects.filter(owner=user).select_related("instrument")
    ]


def erase(user) -> None:
    for model in (SavedSearch, WatchedCall):
        owned = model.all_objects.filter(owner=user)
        # Their history holds the searches' contents, which nobody else ever saw.
        ObjectChange.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in owned.values_list("pk", flat=True)],
        ).delete()
        owned.delete()


def register() -> None:
    dashboard.register(
        dashboard.Panel(
            key="alerts",
            title="Saved searches and alerts",
            order=30,
            template="alerts/panels/alerts.html",
            context=alerts_panel,
        )
    )
    dashboard.register(
        dashboard.Panel(
            key="watches",
            title="Watched calls",
            order=40,
            template="alerts/panels/watches.html",
            context=watches_panel,
        )
    )
    dashboard.register_personal_data("saved_searches", export=export_saved_searches, erase=erase)
    dashboard.register_personal_data("watched_calls", export=export_watched_calls)
