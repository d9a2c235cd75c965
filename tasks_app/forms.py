"""Forms of the filing pages. They only read input; the services decide and write."""

from __future__ import annotations

from django import forms

from tasks_app.models import ProgressStatus, Report, TargetMetric
from tasks_app.services.reports import ReportInput
from tasks_app.uploads import ALLOWED


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(f".{ext}" for ext in ALLOWED)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    progress_status = forms.ChoiceField(
        label="推进状态", choices=[("", "请选择"), *list(ProgressStatus.choices)], required=False
    )
    progress = forms.CharField(label="工作进展", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    problems = forms.CharField(label="存在问题", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    next_steps = forms.CharField(label="下步计划", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
    evidence = MultipleFileField(
        label="佐证材料", required=False, help_text="可上传 PDF、Word、Excel、JPG、PNG，单个文件不超过 10 MB。"
    )

    def __init__(self, *args, report: Report, metrics: list[TargetMetric], **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.metrics = metrics
        # A status outside the list is the service's to refuse with a clear message, not a silent blank.
        self.fields["progress_status"] = forms.CharField(required=False, label="推进状态")
        for metric in metrics:
            self.fields[f"figure_{metric.pk}"] = forms.CharField(
                label=f"{metric.name}（{metric.unit_of_measure}）",
                required=False,
                help_text=f"{metric.phase.name}目标：{metric.target_value.normalize():f}{metric.unit_of_measure}",
            )

    def to_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            progress_status=data.get("progress_status", ""),
            progress=data.get("progress", ""),
            problems=data.get("problems", ""),
            next_steps=data.get("next_steps", ""),
            figures={m.pk: data.get(f"figure_{m.pk}", "") for m in self.metrics},
        )

    def add_service_errors(self, field_errors: dict[str, str]) -> None:
        for name, message in field_errors.items():
            self.add_error(name if name in self.fields else None, message)

    def status_choices(self):
        return [("", "请选择"), *list(ProgressStatus.choices)]


class ReviewForm(forms.Form):
    comment = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)
