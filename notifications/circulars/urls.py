from django.urls import path

from notifications.circulars import views

urlpatterns = [
    path("circulars/", views.circular_list, name="circular-list"),
    path("circulars/new/", views.circular_create, name="circular-create"),
    path("circulars/rules/", views.circular_rules, name="circular-rules"),
    path("circulars/<int:pk>/", views.circular_detail, name="circular-detail"),
    path("circulars/<int:pk>/edit/", views.circular_edit, name="circular-edit"),
    path("circulars/<int:pk>/compile/", views.circular_compile_request, name="circular-compile"),
    path("circulars/<int:pk>/status/", views.circular_status, name="circular-status"),
    path("circulars/<int:pk>/issue/", views.circular_issue_view, name="circular-issue"),
    path("circulars/<int:pk>/correct/", views.circular_correct_view, name="circular-correct"),
    path("circulars/<int:pk>/download/<str:fmt>/", views.circular_download, name="circular-download"),
]
