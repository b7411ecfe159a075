"""This app's API routes, registered on the shared /api/v1/ router."""


def register(router) -> None:
    pass


# Extra (non-viewset) API paths, included under /api/v1/.
urlpatterns: list = []
