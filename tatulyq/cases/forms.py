"""The forms of a mediation case. They parse and check types; the rules of mediation
practice are in services.py, whose errors the views show next to these fields."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tatulyq.accounts.models import Membership
from tatulyq.lib.identifiers import validate_iin

from .models import (
    CHILD_ROLES,
    CaseStatus,
    ConsentForm,
    FollowUpResult,
    HarmKind,
    Mediator,
    MeetingKind,
    ObligationKind,
    Outcome,
    ParticipantRole,
    Place,
    ReferralSource,
    ReferralStatus,
    ReferralTarget,
    Sex,
)

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
MAX_CHILDREN = 6
BLANK = [("", "—")]


def _date(label, **kwargs):
    return forms.DateField(label=label, widget=DATE_WIDGET, **kwargs)


def _today():
    return timezone.localdate()


def _participant_label(participant) -> str:
    return f"{participant} · {participant.get_role_display()}"


def _offer_school_staff(field, school_id: int) -> None:
    """The school's active staff, by name, each labelled with their role."""
    field.queryset = (
        Membership.objects.filter(organisation_id=school_id, is_active=True)
        .select_related("user")
        .order_by("user__full_name")
    )
    field.label_from_instance = lambda m: f"{m.user.full_name} · {m.get_role_display()}"


class IntakeForm(forms.Form):
    referred_by = forms.ChoiceField(label=_("Referred by"), choices=ReferralSource.choices)
    referred_on = _date(_("Referred on"), initial=_today)
    happened_on = _date(_("When it happened"), required=False)
    place = forms.ChoiceField(label=_("Where it happened"), choices=Place.choices)
    harm_kinds = forms.MultipleChoiceField(
        label=_("Kind of conflict or harm"),
        choices=HarmKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Sexual violence, a serious crime and domestic violence are never mediated: "
            "the case is recorded only to be referred to the competent service."
        ),
    )
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


class ChildForm(forms.Form):
    # Every select of a formset row starts blank, so that an untouched row stays unchanged.
    role = forms.ChoiceField(label=_("Role"), choices=BLANK + [(r.value, r.label) for r in CHILD_ROLES])
    full_name = forms.CharField(label=_("Child's full name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=BLANK + Sex.choices)
    birth_date = _date(_("Date of birth"), required=False)
    grade = forms.IntegerField(label=_("Grade"), min_value=0, max_value=12, required=False)
    iin = forms.CharField(
        label=_("IIN"),
        max_length=12,
        required=False,
        validators=[validate_iin],
        help_text=_("Optional; 12 digits, checked with its control digit."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("birth_date") and not data.get("iin") and not self.errors:
            self.add_error("birth_date", _("Give the date of birth or the IIN."))
        return data


class AdultForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=BLANK
        + [
            (r.value, r.label)
            for r in (ParticipantRole.PARENT, ParticipantRole.LEGAL_REPRESENTATIVE, ParticipantRole.TEACHER)
        ],
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    represents = forms.TypedChoiceField(
        label=_("Parent or representative of"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—")] + [(i, _("child No. %(n)s") % {"n": i + 1}) for i in range(MAX_CHILDREN)],
    )


ChildFormSet = forms.formset_factory(ChildForm, extra=3, max_num=MAX_CHILDREN, absolute_max=MAX_CHILDREN)
AdultFormSet = forms.formset_factory(AdultForm, extra=3, max_num=8, absolute_max=8)


class MediatorsForm(forms.Form):
    mediators = forms.ModelMultipleChoiceField(
        label=_("Mediators"),
        queryset=Mediator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        if service is not None:
            self.fields["mediators"].queryset = service.mediators.filter(is_active=True).prefetch_related(
                "trainings"
            )
        today = timezone.localdate()
        self.fields["mediators"].label_from_instance = lambda m: self.mediator_label(m, today)

    @staticmethod
    def mediator_label(mediator, today) -> str:
        label = f"{mediator.full_name} · {mediator.get_kind_display()}"
        return label if mediator.is_trained_on(today) else f"{label} · {_('no valid certificate')}"


class ScreeningForm(forms.Form):
    sexual_violence = forms.BooleanField(label=_("There are signs of sexual violence"), required=False)
    serious_crime = forms.BooleanField(label=_("It may be a serious crime"), required=False)
    domestic_violence = forms.BooleanField(label=_("There are signs of domestic violence"), required=False)
    acute_danger = forms.BooleanField(label=_("A child is in acute danger"), required=False)
    power_imbalance = forms.BooleanField(
        label=_("There is a gross imbalance of power between the parties"), required=False
    )
    parties_willing = forms.BooleanField(label=_("The parties are willing to meet and talk"), required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReferralForm(forms.Form):
    target = forms.ChoiceField(label=_("Referred to"), choices=ReferralTarget.choices)
    organisation = forms.ModelChoiceField(
        label=_("Receiving organisation in Tatulyq"),
        queryset=None,
        required=False,
        help_text=_("It will see the referral and answer it in Tatulyq."),
    )
    organisation_name = forms.CharField(
        label=_("Or the organisation's name, if it does not work in Tatulyq"), max_length=300, required=False
    )
    referred_on = _date(_("Referred on"), initial=_today)
    summary = forms.CharField(
        label=_("What the receiving organisation needs to know"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Only what it needs to act: no more personal details than necessary."),
    )

    def __init__(self, *args, receivers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = receivers


class ReferralAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"), choices=[c for c in ReferralStatus.choices if c[0] != ReferralStatus.SENT]
    )
    reason = forms.CharField(
        label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ConsentRecordForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Consent to the participation of"), queryset=None)
    given_by = forms.ModelChoiceField(label=_("Given by"), queryset=None)
    given_on = _date(_("Given on"), initial=_today)
    form = forms.ChoiceField(label=_("Form of consent"), choices=ConsentForm.choices)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = case.participants.select_related("child").order_by("id")
        self.fields["participant"].queryset = people.filter(child__isnull=False)
        self.fields["given_by"].queryset = people.exclude(role=ParticipantRole.TEACHER)
        self.fields["given_by"].label_from_instance = _participant_label


class WithdrawForm(forms.Form):
    withdrawn_on = _date(_("Withdrawn on"), initial=_today)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    held_on = _date(_("Held on"), initial=_today)
    participants = forms.ModelMultipleChoiceField(
        label=_("Who took part"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    outcome = forms.CharField(
        label=pgettext_lazy("meeting", "Outcome"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        field.queryset = case.participants.select_related("child").order_by("id")
        field.label_from_instance = _participant_label

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("Record a meeting after it has taken place."))
        return held_on


class AgreementForm(forms.Form):
    reached_on = _date(_("Agreement reached on"), initial=_today)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ObligationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Obligation"), choices=BLANK + ObligationKind.choices)
    who = forms.ModelChoiceField(label=_("Who"), queryset=None)
    what = forms.CharField(label=_("What exactly"), max_length=500)
    due_on = _date(_("By when"))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].queryset = case.participants.select_related("child").order_by("id")


ObligationFormSet = forms.formset_factory(ObligationForm, extra=3, max_num=12, absolute_max=12)


class FollowUpForm(forms.Form):
    checked_on = _date(_("Checked on"), initial=_today)
    result = forms.ChoiceField(label=_("Result"), choices=FollowUpResult.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ClosureForm(forms.Form):
    outcome = forms.ChoiceField(label=pgettext_lazy("case", "Outcome"), choices=Outcome.choices)
    reason = forms.CharField(
        label=_("Reason for closing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when some obligations are not fulfilled."),
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Coordinator's comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when you send it back."),
    )


class ClosureDecisionForm(DecisionForm):
    closed_on = _date(_("Closed on"), initial=_today, required=False)


class PlanForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Child"), queryset=None)
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 3}))
    activities = forms.CharField(
        label=_("Activities"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Psychologist sessions, sport, art therapy, mentoring, clubs…"),
    )
    responsible = forms.ModelChoiceField(label=_("Responsible staff member"), queryset=None)
    next_review_on = _date(_("Next review"))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = case.participants.filter(
            role__in=[ParticipantRole.CAUSED_HARM, ParticipantRole.BOTH]
        ).select_related("child")
        _offer_school_staff(self.fields["responsible"], case.school_id)


class ProgressNoteForm(forms.Form):
    written_on = _date(_("Date"), initial=_today)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))


class MediatorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Mediator.Kind.choices)
    membership = forms.ModelChoiceField(
        label=_("Staff member"),
        queryset=None,
        required=False,
        help_text=_("For an adult mediator who works in Tatulyq."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    grade = forms.IntegerField(label=_("Grade (peer mediators)"), min_value=1, max_value=12, required=False)

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_school_staff(self.fields["membership"], school.pk)


class TrainingForm(forms.Form):
    mediator = forms.ModelChoiceField(label=_("Mediator"), queryset=None)
    course = forms.CharField(label=_("Course"), max_length=300)
    provider = forms.CharField(label=_("Provider"), max_length=300, required=False)
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=2000, required=False)
    completed_on = _date(_("Completed on"))
    certificate_number = forms.CharField(label=_("Certificate No."), max_length=60, required=False)
    expires_on = _date(_("Certificate valid until"), required=False)

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = service.mediators.all() if service else Mediator.objects.none()


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("Child's name or case No."), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all")), ("open", _("open"))] + list(CaseStatus.choices),
    )
