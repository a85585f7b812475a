from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tatulyq.orgs.models import Organisation, OrganisationKind

from .models import AnswerMeasure, AnswerSpecialist, Project, ResponseKind

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})

ALLOWED_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
MAX_ATTACHMENT_BYTES = getattr(settings, "MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once, each checked for type and size."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            if upload is None:
                continue
            suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if suffix not in ALLOWED_ATTACHMENT_TYPES:
                raise forms.ValidationError(
                    _("“%(name)s”: only PDF, Word, Excel, ODT, JPEG and PNG files can be attached.")
                    % {"name": upload.name}
                )
            if upload.size > MAX_ATTACHMENT_BYTES:
                raise forms.ValidationError(
                    _("“%(name)s” is larger than %(mb)s MB.")
                    % {"name": upload.name, "mb": MAX_ATTACHMENT_BYTES // 2**20}
                )
            cleaned.append(upload)
        return cleaned


class LetterForm(forms.Form):
    """The details every letter carries, issued or forwarded."""

    outgoing_number = forms.CharField(label=_("Outgoing No."), max_length=60)
    issued_on = forms.DateField(label=_("Date of the letter"), widget=DATE_WIDGET)
    deadline = forms.DateField(label=_("Deadline for answers"), widget=DATE_WIDGET)
    subject = forms.CharField(label=_("Subject"), max_length=500)
    addressees_line = forms.CharField(
        label=_("Addressees as written on the letter"), max_length=500, required=False,
        help_text=_("For example “To the akims of the city of Taraz and the districts”. "
                    "Empty: the recipients' names are printed."),
    )
    text_kk = forms.CharField(label=_("Text in Kazakh"), widget=forms.Textarea(attrs={"rows": 8}),
                              required=False)
    text_ru = forms.CharField(label=_("Text in Russian"), widget=forms.Textarea(attrs={"rows": 8}),
                              required=False)
    signatory_name = forms.CharField(label=_("Signed by"), max_length=200)
    signatory_position = forms.CharField(label=_("Signatory's position"), max_length=300)
    executor_name = forms.CharField(label=_("Executed by"), max_length=200)
    executor_phone = forms.CharField(label=_("Executor's phone"), max_length=60)
    attachments = AttachmentsField(label=_("Attachments"), required=False)
    recipients = forms.ModelMultipleChoiceField(
        label=_("Recipients"), queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recipient_kind = forms.ChoiceField(
        label=_("Or: all organisations under yours of the type"), required=False,
        choices=[("", "—"), *[(k.value, k.label) for k in OrganisationKind
                              if k not in (OrganisationKind.MINISTRY,)]],
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["recipients"].queryset = candidates

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("text_kk") or "").strip() and not (cleaned.get("text_ru") or "").strip():
            self.add_error("text_kk", _("Write the text in Kazakh, in Russian or in both."))
        if not cleaned.get("recipients") and not cleaned.get("recipient_kind"):
            self.add_error("recipients", _("Choose the recipients, or a type of organisation."))
        return cleaned


class DirectiveForm(LetterForm):
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects concerned"), queryset=Project.objects.order_by("number"),
        required=False, widget=forms.CheckboxSelectMultiple,
    )
    required = forms.MultipleChoiceField(
        label=_("Answers required"), choices=ResponseKind.choices,
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    field_order = ["outgoing_number", "issued_on", "deadline", "subject", "projects", "required"]


class ForwardForm(LetterForm):
    required = forms.MultipleChoiceField(
        label=_("Answers required"), choices=ResponseKind.choices,
        widget=forms.CheckboxSelectMultiple, required=False,
    )


class ResolutionForm(forms.Form):
    executors = forms.ModelMultipleChoiceField(
        label=_("Executors"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    responsible = forms.ModelChoiceField(label=_("Responsible executor"), queryset=None)
    controller = forms.ModelChoiceField(label=_("Controller"), queryset=None, required=False)
    internal_deadline = forms.DateField(label=_("Internal deadline"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Resolution text"), max_length=500, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("executors", "responsible", "controller"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = (
                lambda m: f"{m.user.full_name} — {m.get_role_display()}"
            )


class SpecialistForm(forms.ModelForm):
    class Meta:
        model = AnswerSpecialist
        fields = ["project", "full_name", "position", "phone", "email"]


class MeasureForm(forms.ModelForm):
    class Meta:
        model = AnswerMeasure
        fields = ["title", "due", "responsible", "budget"]
        widgets = {"title": forms.TextInput()}


SpecialistFormSet = forms.formset_factory(SpecialistForm, extra=1, can_delete=True)
MeasureFormSet = forms.formset_factory(MeasureForm, extra=2, can_delete=True)


class AnswerForm(forms.Form):
    report_text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 6}),
                                  required=False)
    attachments = AttachmentsField(label=_("Attach files"), required=False)


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What has to be corrected"),
                              widget=forms.Textarea(attrs={"rows": 3}))


class SpecialistDesignationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=300)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    email = forms.EmailField(label=_("E-mail"), required=False)


class PlannedMeasureForm(forms.ModelForm):
    class Meta:
        from .models import PlannedMeasure

        model = PlannedMeasure
        fields = ["title", "due", "due_date", "responsible", "status", "budget"]
        widgets = {"due_date": DATE_WIDGET, "title": forms.TextInput()}

    def clean_budget(self):
        budget = self.cleaned_data.get("budget")
        if budget is not None and budget < 0:
            raise forms.ValidationError(_("The budget cannot be negative."))
        return budget


class CardStageForm(forms.Form):
    stage = forms.ModelChoiceField(label=_("Stage reached"), queryset=None, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = stages


class CardDocumentForm(forms.Form):
    attachments = AttachmentsField(label=_("Documents"))
