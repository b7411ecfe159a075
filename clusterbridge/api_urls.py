"""The JSON API under /api/v1/: every app registers its viewsets on this one router."""

from rest_framework.routers import DefaultRouter

from clusterbridge.taxonomy.api.views import CountryViewSet, FeatureViewSet, TermViewSet

router = DefaultRouter()
router.register("features", FeatureViewSet, basename="feature")
router.register("terms", TermViewSet, basename="term")
router.register("countries", CountryViewSet, basename="country")

urlpatterns = router.urls
