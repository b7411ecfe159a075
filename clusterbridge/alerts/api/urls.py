"""This app's API routes, registered on the shared /api/v1/ router (none: alerts are pages)."""


def register(router) -> None:
    pass


urlpatterns: list = []
