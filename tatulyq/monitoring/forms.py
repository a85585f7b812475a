import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Indicator


class ReportValuesForm(forms.Form):
    """One text input per entered indicator (the service parses and checks it, so that a
    wrong value is explained next to its field), a comment each, the narrative."""

    def __init__(
        self,
        *args,
        indicators: list[Indicator],
        values: dict,
        comments: dict,
        with_narrative: bool,
        narrative: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            value = values.get(indicator.code)
            self.fields[f"v_{indicator.code}"] = forms.CharField(
                label=indicator.name,
                required=False,
                max_length=30,
                initial="" if value is None else f"{value.normalize():f}",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                help_text=indicator.definition,
            )
            self.fields[f"c_{indicator.code}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                initial=comments.get(indicator.code, ""),
                widget=forms.Textarea(attrs={"rows": 1}),
            )
        if with_narrative:
            self.fields["narrative"] = forms.CharField(
                label=_("Narrative: what went well, what did not"),
                required=False,
                initial=narrative,
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    def pairs(self):
        for indicator in self.indicators:
            yield indicator, self[f"v_{indicator.code}"], self[f"c_{indicator.code}"]

    def values(self) -> dict:
        return {i.code: self.cleaned_data.get(f"v_{i.code}", "").strip() for i in self.indicators}

    def comments(self) -> dict:
        return {i.code: self.cleaned_data.get(f"c_{i.code}", "").strip() for i in self.indicators}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Reason for returning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What must be corrected"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class IndicatorRevisionForm(forms.Form):
    code = forms.SlugField(widget=forms.HiddenInput)
    target = forms.DecimalField(
        label=_("Target for 2025–2026"), required=False, max_digits=14, decimal_places=2
    )
    min_value = forms.DecimalField(
        label=_("Lowest plausible value"), required=False, max_digits=14, decimal_places=2
    )
    max_value = forms.DecimalField(
        label=_("Highest plausible value"), required=False, max_digits=14, decimal_places=2
    )
    jump_factor = forms.DecimalField(label=_("Jump factor"), max_digits=5, decimal_places=2, min_value=1)
    note = forms.CharField(label=_("What changed and why"), max_length=500)


class SummaryForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"),
        initial=datetime.date(2026, 12, 1),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=[("kk", "Қазақша"), ("ru", "Русский")])
