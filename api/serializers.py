"""What the API returns. Reports carry their texts but never evidence files or people's names."""

from __future__ import annotations

from rest_framework import serializers

from tasks_app.lights import Light
from tasks_app.measure_status import MeasureState
from tasks_app.models import (
    Indicator,
    IndicatorFigure,
    IndicatorTarget,
    Measure,
    Part,
    Period,
    Phase,
    PhaseTarget,
    Plan,
    Report,
    Sector,
    Task,
    Unit,
)


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "ordinal", "name", "header", "start_date", "end_date"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "ordinal", "heading", "short_name"]


class PartSerializer(serializers.ModelSerializer):
    sectors = SectorSerializer(many=True, read_only=True)

    class Meta:
        model = Part
        fields = ["id", "ordinal", "heading", "sectors"]


class PlanSerializer(serializers.ModelSerializer):
    phases = PhaseSerializer(many=True, read_only=True)
    parts = PartSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "code", "name", "start_date", "end_date", "is_default", "phases", "parts"]


class TaskSerializer(serializers.ModelSerializer):
    part = serializers.CharField(source="sector.part.heading", read_only=True)
    sector_heading = serializers.CharField(source="sector.heading", read_only=True)
    archived = serializers.BooleanField(source="is_archived", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "plan", "number", "title", "part", "sector", "sector_heading", "archived"]


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name"]


class PhaseTargetSerializer(serializers.ModelSerializer):
    phase = serializers.CharField(source="phase.header", read_only=True)

    class Meta:
        model = PhaseTarget
        fields = ["phase", "text"]


class MeasureSerializer(serializers.ModelSerializer):
    task_number = serializers.IntegerField(source="task.number", read_only=True)
    plan = serializers.IntegerField(source="task.plan_id", read_only=True)
    lead_units = serializers.SerializerMethodField()
    support_units = serializers.SerializerMethodField()
    targets = PhaseTargetSerializer(many=True, read_only=True)
    archived = serializers.BooleanField(source="is_archived", read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "code",
            "label",
            "plan",
            "task",
            "task_number",
            "text",
            "lead_units",
            "support_units",
            "targets",
            "archived",
        ]

    def get_lead_units(self, measure: Measure) -> list[dict]:
        return UnitRefSerializer(measure.lead_units(), many=True).data

    def get_support_units(self, measure: Measure) -> list[dict]:
        return UnitRefSerializer(measure.support_units(), many=True).data


class MeasureStateSerializer(serializers.Serializer):
    """A measure's state and light in a period (see tasks_app/measure_status.py)."""

    measure = serializers.IntegerField(source="measure_id")
    period = serializers.IntegerField()
    state = serializers.ChoiceField(choices=MeasureState.choices)
    state_label = serializers.CharField(source="state.label")
    light = serializers.ChoiceField(choices=Light.choices)
    light_label = serializers.CharField(source="light.label")


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "plan", "kind", "label", "start_date", "end_date", "due_date"]


class IndicatorTargetSerializer(serializers.ModelSerializer):
    target_value = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = IndicatorTarget
        fields = ["year", "target_value", "text"]


class IndicatorFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorFigure
        fields = ["year", "quarter", "value", "note"]


class IndicatorSerializer(serializers.ModelSerializer):
    responsible_unit = UnitRefSerializer(read_only=True, allow_null=True)
    targets = IndicatorTargetSerializer(many=True, read_only=True)
    figures = IndicatorFigureSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "plan",
            "code",
            "name",
            "unit_of_measure",
            "baseline_value",
            "baseline_label",
            "baseline_note",
            "source_text",
            "responsible_unit",
            "targets",
            "figures",
        ]


class ReportSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    measure_code = serializers.CharField(source="measure.code", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "period",
            "measure",
            "measure_code",
            "unit",
            "role",
            "state",
            "due_date",
            "progress_status",
            "progress",
            "problems",
            "next_steps",
            "first_submitted_at",
            "submitted_at",
        ]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "kind"]
