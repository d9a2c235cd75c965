from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from taskboard.health import healthz, healthz_web

admin.site.site_header = "重点任务督查督办系统 · 管理后台"
admin.site.site_title = "督查督办系统管理"
admin.site.index_title = "管理首页"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/web", healthz_web, name="healthz-web"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("api/", include("api.urls")),
    path("", include("notifications.urls")),
    path("", include("tasks_app.urls")),
]
