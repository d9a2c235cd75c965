from django.urls import include, path

from notifications import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox-read"),
    path("notices/", views.notice_list, name="notice-list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice-detail"),
    path("periods/<int:pk>/discipline/", views.period_discipline_page, name="period-discipline"),
    path("settings/channels/", views.channel_settings, name="channel-settings"),
    path("settings/channels/<int:pk>/remove/", views.channel_remove, name="channel-remove"),
    path("", include("notifications.circulars.urls")),
]
