from django.urls import path

from clusterbridge.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("feed.ics", views.feed, name="feed"),
    path("new/", views.create, name="create"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/event.ics", views.event_ics, name="ics"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/delete/", views.delete, name="delete"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/cancel/", views.cancel_registration, name="cancel"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/optimise/", views.optimise, name="optimise"),
    path("<slug:slug>/profile/", views.profile, name="profile"),
    path("<slug:slug>/participants/", views.participants, name="participants"),
    path("<slug:slug>/participants/<int:pk>/", views.participant, name="participant"),
    path("<slug:slug>/requests/", views.requests, name="requests"),
    path(
        "<slug:slug>/requests/<int:pk>/<str:action>/",
        views.request_action,
        name="request-action",
    ),
    path("<slug:slug>/meetings/<int:pk>/rate/", views.rate, name="rate"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda.ics", views.agenda_ics, name="agenda-ics"),
]
