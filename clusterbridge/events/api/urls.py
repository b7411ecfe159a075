"""This app's API routes, registered on the shared /api/v1/ router."""

from clusterbridge.events.api.views import EventViewSet, MeetingRequestViewSet, RegistrationViewSet


def register(router) -> None:
    router.register("events", EventViewSet, basename="event")
    router.register("registrations", RegistrationViewSet, basename="registration")
    router.register("meeting-requests", MeetingRequestViewSet, basename="meeting-request")


urlpatterns: list = []
