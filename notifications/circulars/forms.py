"""Forms of the circular pages: what to compile, the office's narrative, the issue date."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from notifications.circulars.models import Circular, CircularKind, CircularSettings

PERIOD_CHOICES = [
    ("1", "第一季度"),
    ("2", "第二季度"),
    ("3", "第三季度"),
    ("4", "第四季度"),
    ("annual", "全年（年度总结）"),
]


class CompileForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    period = forms.ChoiceField(label="期间", choices=PERIOD_CHOICES)

    def scope_args(self) -> tuple[str, int, int]:
        period = self.cleaned_data["period"]
        if period == "annual":
            return CircularKind.ANNUAL, self.cleaned_data["year"], 0
        return CircularKind.QUARTERLY, self.cleaned_data["year"], int(period)


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = Circular
        fields = ["title", "opening", "highlights", "requirements"]
        widgets = {
            "title": forms.TextInput(),
            "opening": forms.Textarea(attrs={"rows": 3}),
            "highlights": forms.Textarea(attrs={"rows": 10}),
            "requirements": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "highlights": "每行一段。系统已按领域摘录各牵头单位报送的进展，可直接修改。",
            "requirements": "每行一段。",
        }


class IssueForm(forms.Form):
    issued_on = forms.DateField(label="成文日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()


class RulesForm(forms.ModelForm):
    """The office's rules: who is named, how units are scored, how documents are headed."""

    class Meta:
        model = CircularSettings
        fields = [
            "name_if_missing_at_least",
            "name_if_late_at_least",
            "late_grace_workdays",
            "score_weight_on_time",
            "score_weight_not_returned",
            "score_weight_targets",
            "issuer",
            "number_prefix",
            "addressees",
        ]
