from django.urls import path

from clusterbridge.benchmarking import views

app_name = "benchmarking"
urlpatterns = [
    path("", views.index, name="index"),
    path("networks/<slug:code>/", views.network, name="network"),
    path("clusters/<slug:slug>/", views.cluster_assessments, name="cluster"),
    path("clusters/<slug:slug>/start/", views.start, name="start"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
    path("assessments/<int:pk>/blocks/<str:block>/", views.block, name="block"),
    path("assessments/<int:pk>/submit/", views.submit, name="submit"),
    path("assessments/<int:pk>/sharing/", views.sharing, name="sharing"),
    path("assessments/<int:pk>/report/", views.report_page, name="report"),
    path("assessments/<int:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path(
        "assessments/<int:pk>/answers.csv",
        views.answers_export,
        {"file_format": "csv"},
        name="answers-csv",
    ),
    path(
        "assessments/<int:pk>/answers.xlsx",
        views.answers_export,
        {"file_format": "xlsx"},
        name="answers-xlsx",
    ),
]
