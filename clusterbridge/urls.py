from allauth.account.decorators import secure_admin_login
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

admin.site.site_header = "ClusterBridge administration"
admin.site.site_title = "ClusterBridge"
# The admin signs in through the site's sign-in (lock-out rule, two-factor authentication).
admin.site.login = secure_admin_login(admin.site.login)

# Swagger UI styles itself inline; only its page gets that allowance.
api_docs = csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)

urlpatterns = [
    path("", include("clusterbridge.core.urls")),
    path("account/", include("clusterbridge.accounts.urls")),
    path("taxonomy/", include("clusterbridge.taxonomy.urls")),
    path("funding/", include("clusterbridge.funding.urls")),
    path("projects/", include("clusterbridge.projects.urls")),
    path("clusters/", include("clusterbridge.clusters.urls")),
    path("organisations/", include("clusterbridge.organisations.urls")),
    path("marketplace/", include("clusterbridge.marketplace.urls")),
    path("benchmarking/", include("clusterbridge.benchmarking.urls")),
    path("events/", include("clusterbridge.events.urls")),
    # matching (/match/) and interop (/import/, /export/) own their prefixes.
    path("", include("clusterbridge.matching.urls")),
    path("", include("clusterbridge.interop.urls")),
    # suggestions (/suggestions/) and alerts (/alerts/, /funding/feed.atom, /funding/deadlines.ics)
    path("", include("clusterbridge.suggestions.urls")),
    path("", include("clusterbridge.alerts.urls")),
    path("notifications/", include("clusterbridge.notifications.urls")),
    path("analytics/", include("clusterbridge.analytics.urls")),
    path("api/v1/", include("clusterbridge.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("admin/", admin.site.urls),
]

handler404 = "clusterbridge.core.errors.not_found"
handler403 = "clusterbridge.core.errors.forbidden"
handler500 = "clusterbridge.core.errors.server_error"
