from django.urls import path

from tasks_app.views import batch, browse, reports, revisions

urlpatterns = [
    path("", browse.home, name="home"),
    path("plans/<int:pk>/", browse.plan_detail, name="plan-detail"),
    path("tasks/<int:pk>/", browse.task_detail, name="task-detail"),
    path("units/", browse.unit_list, name="unit-list"),
    path("units/<int:pk>/", browse.unit_detail, name="unit-detail"),
    path("start/", reports.start, name="start"),
    path("my/", reports.my_tasks_page, name="my-tasks"),
    path("my/carry-over/", reports.carry_over, name="carry-over"),
    path("my/batch/", batch.batch_page, name="batch"),
    path("reports/<int:pk>/", reports.report_detail, name="report-detail"),
    path("reports/<int:pk>/approve/", reports.approve, name="report-approve"),
    path("reports/<int:pk>/review/", reports.review, name="report-review"),
    path("evidence/<int:pk>/", reports.evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/delete/", reports.evidence_delete, name="evidence-delete"),
    path("review/", reports.review_queue_page, name="review-queue"),
    path("plans/<int:pk>/revisions/", revisions.revision_list, name="revision-list"),
    path("plans/<int:pk>/revisions/<int:number>/", revisions.revision_detail, name="revision-detail"),
    path("plans/<int:pk>/revisions/<int:number>/source/", revisions.revision_source, name="revision-source"),
    path("plans/<int:pk>/export/<str:fmt>/", revisions.plan_export, name="plan-export"),
    path("plans/<int:pk>/revisions/<int:number>/export/<str:fmt>/", revisions.revision_export, name="revision-export"),
]
