"""Traffic lights (红黄绿灯): green on track, yellow at risk, red behind or overdue."""

from __future__ import annotations

import datetime as dt

from django.db import models

from tasks_app.models import ProgressStatus, Report, ReportState

DUE_SOON_DAYS = 3


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"
    GREY = "grey", "未到期"


SEVERITY = {Light.GREY: 0, Light.GREEN: 1, Light.YELLOW: 2, Light.RED: 3}


def report_light(report: Report, today: dt.date) -> Light:
    if report.progress_status == ProgressStatus.BEHIND and report.state != ReportState.REQUESTED:
        return Light.RED
    if not report.is_filed:
        if today > report.due_date:
            return Light.RED
        if report.state == ReportState.RETURNED or (report.due_date - today).days <= DUE_SOON_DAYS:
            return Light.YELLOW
        return Light.GREY
    if report.progress_status == ProgressStatus.NOT_STARTED:
        return Light.YELLOW
    return Light.GREEN


def worst(lights) -> Light:
    return max(lights, key=lambda light: SEVERITY[light], default=Light.GREY)
