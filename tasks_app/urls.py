from django.urls import path

from tasks_app.views import batch, browse, dashboard, indicators, ledger, public, reports, scorecard

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
    # 驾驶舱, 台账, 报送纪律, 指标, 单位评分卡, 公开进度 (issue 7)
    path("dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("dashboard/export.xlsx", dashboard.dashboard_export, name="dashboard-export"),
    path("ledger/", ledger.ledger, name="measure-ledger"),
    path("ledger/export.xlsx", ledger.ledger_export, name="measure-ledger-export"),
    path("discipline/", dashboard.discipline_page, name="discipline"),
    path("discipline/export.xlsx", dashboard.discipline_export, name="discipline-export"),
    path("indicators/", indicators.indicators_page, name="indicators"),
    path("indicators/export.xlsx", indicators.indicators_export, name="indicators-export"),
    path("indicators/<int:pk>/file/", indicators.indicator_file, name="indicator-file"),
    path("indicators/metrics/<int:pk>/", indicators.metric_detail, name="metric-detail"),
    path("units/<int:pk>/scorecard/", scorecard.scorecard_page, name="unit-scorecard"),
    path("units/<int:pk>/scorecard/export.xlsx", scorecard.scorecard_export, name="unit-scorecard-export"),
    path("reports/<int:pk>/public-summary/", public.report_public_summary, name="report-public-summary"),
    path("public/", public.public_progress, name="public-progress"),
]
