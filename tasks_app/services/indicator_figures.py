"""Quarterly figures of the headline indicators, filed by each indicator's responsible unit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction

from tasks_app.access import can_file_indicator
from tasks_app.models import Indicator, IndicatorFigure, User
from tasks_app.models.insights import quarter_end, quarter_label

MAX_VALUE = Decimal("999999999999.99")


class IndicatorFigureError(Exception):
    """Not allowed, or the input is wrong; nothing was written."""

    def __init__(self, message: str, field_errors: dict[str, str] | None = None):
        super().__init__(message)
        self.field_errors = field_errors or {}


def _value(text: str) -> Decimal:
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation:
        raise IndicatorFigureError("数值有误。", {"value": f"“{text}”不是数字。"}) from None
    if not value.is_finite() or abs(value) > MAX_VALUE:
        raise IndicatorFigureError("数值有误。", {"value": "数值超出可填报范围。"})
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def indicator_figure_file(
    *, indicator: Indicator, user: User, year: int, quarter: int, value: str | Decimal, note: str, today: dt.date
) -> IndicatorFigure:
    """File (or correct) the figure of one quarter. The quarter must lie in the plan and have ended.

    Raises IndicatorFigureError, having written nothing, when the user's unit is not the indicator's
    responsible unit or the input is wrong.
    """
    if not can_file_indicator(user, indicator):
        raise IndicatorFigureError(f"“{indicator.name}”由{indicator.responsible_unit or '指定单位'}填报，您不能填报。")
    plan = indicator.plan
    if quarter not in (1, 2, 3, 4) or not (plan.start_date.year <= year <= plan.end_date.year):
        raise IndicatorFigureError("季度有误。", {"quarter": "请选择方案期内的季度。"})
    if quarter_end(year, quarter) > today:
        raise IndicatorFigureError("季度有误。", {"quarter": f"{quarter_label(year, quarter)}尚未结束，结束后再填报。"})
    figure, created = IndicatorFigure.objects.select_for_update().get_or_create(
        indicator=indicator,
        year=year,
        quarter=quarter,
        defaults={"value": _value(value), "note": note.strip(), "filed_by": user},
    )
    if not created:
        figure.value = _value(value)
        figure.note = note.strip()
        figure.filed_by = user
        figure._change_reason = "更正"
        figure.save(update_fields=["value", "note", "filed_by", "updated_at"])
    return figure
