from django.urls import path

from tasks_app.views import browse, revisions

urlpatterns = [
    path("", browse.home, name="home"),
    path("plans/<int:pk>/", browse.plan_detail, name="plan-detail"),
    path("tasks/<int:pk>/", browse.task_detail, name="task-detail"),
    path("units/", browse.unit_list, name="unit-list"),
    path("units/<int:pk>/", browse.unit_detail, name="unit-detail"),
    path("plans/<int:pk>/revisions/", revisions.revision_list, name="revision-list"),
    path("plans/<int:pk>/revisions/<int:number>/", revisions.revision_detail, name="revision-detail"),
    path("plans/<int:pk>/revisions/<int:number>/source/", revisions.revision_source, name="revision-source"),
    path("plans/<int:pk>/export/<str:fmt>/", revisions.plan_export, name="plan-export"),
    path("plans/<int:pk>/revisions/<int:number>/export/<str:fmt>/", revisions.revision_export, name="revision-export"),
]
