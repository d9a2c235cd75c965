from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "重点任务督查督办系统 · 管理后台"
admin.site.site_title = "督查督办系统管理"
admin.site.index_title = "管理首页"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("tasks_app.urls")),
]
