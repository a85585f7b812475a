"""Forms parse what people type; the services decide whether it is right."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tatulyq.directives.forms import DATE_WIDGET, AttachmentsField
from tatulyq.directives.models import Project

from .models import FundingSource, GrantReport, Implementer, Proposal

MONEY_FIELD = {"max_digits": 14, "decimal_places": 2}
AREA = forms.Textarea(attrs={"rows": 3})


def money_field(label, required=True, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **MONEY_FIELD,
        **kwargs,
    )


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = [
            "project",
            "other_project",
            "title",
            "problem",
            "evidence",
            "target_groups",
            "children_reached",
            "activities",
            "expected_results",
            "indicators",
            "implementer",
        ]
        widgets = {
            name: AREA
            for name in (
                "problem",
                "evidence",
                "target_groups",
                "activities",
                "expected_results",
                "indicators",
            )
        }
        widgets["title"] = forms.TextInput()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.order_by("number")
        self.fields["project"].label_from_instance = lambda p: f"{p.number}. {p.short_name}"
        self.fields["project"].required = False
        self.fields["children_reached"].min_value = None
        if not self.instance.pk:
            self.fields["implementer"].initial = Implementer.NGO_GRANT
        # The service checks these, in its own words.
        for name in (
            "title",
            "problem",
            "target_groups",
            "activities",
            "expected_results",
            "children_reached",
        ):
            self.fields[name].required = False


class LineForm(forms.Form):
    # Empty by default, so that an untouched spare row is left out rather than refused.
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None,
                                  choices=[("", "—"), *[(y, y) for y in range(2025, 2031)]])
    item = forms.CharField(label=_("Item"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=40)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    unit_cost = money_field(_("Unit cost, ₸"))
    total = money_field(
        _("Total, ₸"),
        required=False,
        help_text=_("Optional: typed to check; the total is always quantity × unit cost."),
    )
    source_id = forms.IntegerField(required=False, widget=forms.HiddenInput)


LineFormSet = forms.formset_factory(LineForm, extra=3, can_delete=True)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("What has to be corrected"), widget=AREA)


class SocialOrderForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    first_year = forms.IntegerField(label=_("From year"), initial=2025)
    last_year = forms.IntegerField(label=_("To year"), initial=2026)


class TopicForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project of the programme"), required=False, queryset=Project.objects.order_by("number")
    )
    title = forms.CharField(label=_("Topic"), max_length=500)
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    expected_results = forms.CharField(label=_("Expected results"), widget=AREA, required=False)
    sources = forms.ModelMultipleChoiceField(
        label=_("Proposals it came from"),
        required=False,
        queryset=Proposal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, years, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].label_from_instance = lambda p: f"{p.number}. {p.short_name}"
        self.fields["sources"].queryset = sources
        self.fields["sources"].label_from_instance = lambda p: (
            f"{p.organisation.name}: {p.title} ({p.total} ₸)"
        )
        for year in years:
            self.fields[f"budget_{year}"] = money_field(
                _("Budget for %(year)s, ₸") % {"year": year}, required=False
            )
        self.years = years

    def budgets(self) -> dict:
        return {
            y: self.cleaned_data.get(f"budget_{y}")
            for y in self.years
            if self.cleaned_data.get(f"budget_{y}") is not None
        }


class CompetitionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    requirements = forms.CharField(label=_("Requirements for applicants"), widget=AREA, required=False)
    opens_on = forms.DateField(label=_("Applications from"), widget=DATE_WIDGET)
    closes_on = forms.DateField(label=_("Closing date"), widget=DATE_WIDGET)
    budget = money_field(_("Budget, ₸"))
    scale_max = forms.IntegerField(label=_("Highest score"), initial=10)


class CriterionForm(forms.Form):
    title = forms.CharField(label=_("Criterion"), max_length=300)
    weight = forms.IntegerField(label=_("Weight, %"))


CriterionFormSet = forms.formset_factory(CriterionForm, extra=4)


class ApplicationForm(forms.Form):
    bin = forms.CharField(label=_("BIN"), max_length=20)
    registered_on = forms.DateField(label=_("Registered on"), widget=DATE_WIDGET)
    director_name = forms.CharField(label=_("Director"), max_length=200)
    experience = forms.CharField(label=_("Experience"), widget=AREA)
    plan = forms.CharField(label=_("Project plan"), widget=forms.Textarea(attrs={"rows": 6}))


class CommissionForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("members", "chair"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda m: (
                f"{m.user.full_name} — {m.get_role_display()}, {m.organisation.name}"
            )


class ScoreForm(forms.Form):
    no_conflict = forms.BooleanField(
        label=_("I declare that I have no conflict of interest with any applicant of this competition."),
        required=False,
    )

    def __init__(self, *args, criteria, scale_max, declared, **kwargs):
        super().__init__(*args, **kwargs)
        if declared:
            del self.fields["no_conflict"]
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.title} ({criterion.weight} %)",
                required=False,
                help_text=_("From 0 to %(max)s.") % {"max": scale_max},
            )
        self.criteria = criteria

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"criterion_{c.pk}") for c in self.criteria}


class PublishForm(forms.Form):
    winner = forms.ModelChoiceField(label=_("Winner"), queryset=None)
    summary = forms.CharField(label=_("Decision of the commission"), widget=AREA, required=False)

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["winner"].queryset = applications
        for application in applications:
            self.fields[f"reason_{application.pk}"] = forms.CharField(
                label=_("Reason for %(name)s") % {"name": application.ngo.name}, required=False, widget=AREA
            )
        self.applications = applications

    def reasons(self) -> dict:
        return {a.pk: self.cleaned_data.get(f"reason_{a.pk}", "") for a in self.applications}


class AgreementForm(forms.Form):
    number = forms.CharField(label=_("Agreement No."), max_length=60)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE_WIDGET)
    starts_on = forms.DateField(label=_("Period from"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Period to"), widget=DATE_WIDGET)
    amount = money_field(_("Amount, ₸"))


class TrancheForm(forms.Form):
    planned_on = forms.DateField(label=_("Planned date"), widget=DATE_WIDGET)
    amount = money_field(_("Amount, ₸"))
    condition = forms.CharField(label=_("Condition of payment"), max_length=500)


TrancheFormSet = forms.formset_factory(TrancheForm, extra=3)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE_WIDGET)
    paid_amount = money_field(_("Paid, ₸"))


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=GrantReport.Kind.choices)
    period_from = forms.DateField(label=_("Period from"), widget=DATE_WIDGET)
    period_to = forms.DateField(label=_("Period to"), widget=DATE_WIDGET)
    activities = forms.CharField(label=_("Activities carried out"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = AttachmentsField(label=_("Attach files"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in GrantReport.REACH_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=GrantReport._meta.get_field(name).verbose_name, initial=0
            )


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    target = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2)
    actual = forms.DecimalField(label=_("Achieved"), max_digits=12, decimal_places=2)


class ExpenditureForm(forms.Form):
    item = forms.CharField(label=_("Budget line"), max_length=300)
    planned = money_field(_("Planned, ₸"))
    spent = money_field(_("Spent, ₸"))
    variance_explanation = forms.CharField(label=_("Why it differs"), max_length=500, required=False)


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=2, can_delete=True)
ExpenditureFormSet = forms.formset_factory(ExpenditureForm, extra=3, can_delete=True)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("accept", _("Accept")), ("return", _("Return for correction"))],
    )
    comment = forms.CharField(label=_("Comment"), widget=AREA, required=False)
