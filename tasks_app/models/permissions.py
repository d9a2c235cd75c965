"""Object permissions on measures (django-guardian, direct foreign keys).

A unit's group holds, per measure it is responsible for:
- ``view_measure`` and ``report_measure``: see the measure and file its own reports;
- ``lead_measure`` (lead units only): see the supporting units' reports and file the consolidated one.
Unit groups never hold model-level permissions; rights follow the current list.
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from tasks_app.models.plan import Measure


class MeasureUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Measure, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "举措用户权限"
        verbose_name_plural = "举措用户权限"


class MeasureGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Measure, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "举措单位权限"
        verbose_name_plural = "举措单位权限"
