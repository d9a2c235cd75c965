from django.urls import path

from tasks_app.views import browse

urlpatterns = [
    path("", browse.home, name="home"),
    path("plans/<int:pk>/", browse.plan_detail, name="plan-detail"),
    path("tasks/<int:pk>/", browse.task_detail, name="task-detail"),
    path("units/", browse.unit_list, name="unit-list"),
    path("units/<int:pk>/", browse.unit_detail, name="unit-detail"),
]
