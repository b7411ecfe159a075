from django.urls import path

from clusterbridge.marketplace import views

app_name = "marketplace"
urlpatterns = [
    path("", views.post_list, name="list"),
    path("export.<str:fmt>", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("mine/", views.my_posts, name="mine"),
    path("cluster-queue/", views.cluster_queue, name="cluster-queue"),
    path("moderation/", views.moderation, name="moderation"),
    path("disruptions/", views.disruptions, name="disruptions"),
    path("value-chain/", views.value_chain, name="value-chain"),
    path("messages/<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/message/", views.send_message, name="message"),
    path("<int:pk>/<str:action>/", views.step, name="step"),
]
