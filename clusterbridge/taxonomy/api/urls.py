from clusterbridge.taxonomy.api.views import CountryViewSet, FeatureViewSet, TermViewSet


def register(router) -> None:
    router.register("features", FeatureViewSet, basename="feature")
    router.register("terms", TermViewSet, basename="term")
    router.register("countries", CountryViewSet, basename="country")


urlpatterns: list = []
