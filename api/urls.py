"""/api/v1/… (token or session) and the OpenAPI schema at /api/schema/.

LoginRequiredMiddleware would send a token request to the login page (it knows only sessions):
every API view is marked ``login_not_required`` and DRF's own permission (IsAuthenticated) guards it.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("plans", views.PlanViewSet, basename="plan")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("measure-states", views.MeasureStateViewSet, basename="measure-state")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("reports", views.ReportViewSet, basename="report")
router.register("units", views.UnitViewSet, basename="unit")

for pattern in router.urls:
    login_not_required(pattern.callback)


@login_not_required
def not_found(request, rest=""):
    """Under /api/ even a path no route matches is answered in JSON, never with an HTML page."""
    return JsonResponse({"detail": "未找到。"}, status=404)


urlpatterns = [
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path("v1/", include((router.urls, "api"), namespace="api")),
    re_path(r"^(?P<rest>.*)$", not_found),
]
