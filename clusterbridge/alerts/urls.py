from django.urls import path

from clusterbridge.alerts import shortlist, views

app_name = "alerts"
urlpatterns = [
    path("alerts/", views.alert_list, name="list"),
    path("alerts/new/", views.alert_create, name="create"),
    path("alerts/<int:pk>/edit/", views.alert_edit, name="edit"),
    path("alerts/<int:pk>/delete/", views.alert_delete, name="delete"),
    path("alerts/watch/<int:instrument_pk>/", views.watch, name="watch"),
    path("alerts/watches/<int:pk>/delete/", views.unwatch, name="unwatch"),
    path("shortlist/", shortlist.page, name="shortlist"),
    path("shortlist/add/<int:instrument_pk>/", shortlist.add, name="shortlist-add"),
    path("shortlist/remove/<int:instrument_pk>/", shortlist.remove, name="shortlist-remove"),
    path("shortlist/<int:pk>/note/", shortlist.note, name="shortlist-note"),
    path("shortlist/share/", shortlist.share, name="shortlist-share"),
    path("shortlist/share/<int:pk>/revoke/", shortlist.revoke, name="shortlist-revoke"),
    path("shortlist/shared/<str:token>/", shortlist.shared, name="shortlist-shared"),
    path("funding/<int:instrument_pk>/dismiss/", shortlist.dismiss, name="dismiss"),
    path("funding/<int:instrument_pk>/undismiss/", shortlist.undismiss, name="undismiss"),
    # Feeds of any funding search: the same query string as /funding/.
    path("funding/feed.atom", views.search_feed, name="search-feed"),
    path("funding/deadlines.ics", views.deadlines_calendar, name="deadlines-ics"),
]
