from django.urls import path

from clusterbridge.alerts import views

app_name = "alerts"
urlpatterns = [
    path("alerts/", views.alert_list, name="list"),
    path("alerts/new/", views.alert_create, name="create"),
    path("alerts/<int:pk>/edit/", views.alert_edit, name="edit"),
    path("alerts/<int:pk>/delete/", views.alert_delete, name="delete"),
    path("alerts/watch/<int:instrument_pk>/", views.watch, name="watch"),
    path("alerts/watches/<int:pk>/delete/", views.unwatch, name="unwatch"),
    # Feeds of any funding search: the same query string as /funding/.
    path("funding/feed.atom", views.search_feed, name="search-feed"),
    path("funding/deadlines.ics", views.deadlines_calendar, name="deadlines-ics"),
]
