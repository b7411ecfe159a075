from django.urls import path

from clusterbridge.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.instrument_create, name="instrument-create"),
    path("maintenance/", views.maintenance, name="maintenance"),
    path("<int:pk>/", views.instrument_detail, name="instrument-detail"),
    path("<int:pk>/edit/", views.instrument_edit, name="instrument-edit"),
    path("<int:pk>/delete/", views.instrument_delete, name="instrument-delete"),
    path("<int:pk>/reviewed/", views.instrument_reviewed, name="instrument-reviewed"),
    path("strategies/", views.strategy_list, name="strategy-list"),
    path("strategies/new/", views.strategy_create, name="strategy-create"),
    path("strategies/<int:pk>/", views.strategy_detail, name="strategy-detail"),
    path("strategies/<int:pk>/edit/", views.strategy_edit, name="strategy-edit"),
    path("strategies/<int:pk>/delete/", views.strategy_delete, name="strategy-delete"),
]
