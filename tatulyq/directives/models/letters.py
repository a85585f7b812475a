"""Instruction letters (directives): a letter with its own number, date, signatory and
executor, sent to recipients who may forward it down under their own number (the
seed's cascade: Ministry → oblast akimat → district → schools); typed required
responses come back up as data."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tatulyq.lib.i18n import localized
from tatulyq.orgs.models import Organisation

from .programme import MONEY, Project


class Directive(models.Model):
    """An instruction letter. A forwarded letter is a Directive of its own whose
    parent is the letter it implements; `root` is the first letter of the cascade."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("directive", "draft")
        SENT = "sent", pgettext_lazy("directive", "sent")

    issuer = models.ForeignKey(
        Organisation, models.PROTECT, related_name="directives_issued",
        verbose_name=_("issuing organisation"),
    )
    outgoing_number = models.CharField(_("outgoing No."), max_length=60, blank=True)
    issued_on = models.DateField(_("date"))
    # Kept apart so that "one number per organisation and year" is a database rule.
    issued_year = models.PositiveSmallIntegerField(editable=False)
    signatory_name = models.CharField(_("signed by"), max_length=200)
    signatory_position = models.CharField(_("signatory's position"), max_length=300)
    executor_name = models.CharField(_("executed by"), max_length=200)
    executor_phone = models.CharField(_("executor's phone"), max_length=60)
    subject = models.CharField(_("subject"), max_length=500)
    text_kk = models.TextField(_("text in Kazakh"), blank=True)
    text_ru = models.TextField(_("text in Russian"), blank=True)
    addressees_line = models.CharField(
        _("addressees as written on the letter"), max_length=500, blank=True,
        help_text=_("For example “To the akims of the city of Taraz and the districts”."),
    )
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="forwards",
        verbose_name=_("implements the letter"),
    )
    root = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="cascade",
        editable=False,
    )
    # The recipient row of the parent letter that this forward answers for.
    forwarded_from = models.OneToOneField(
        "Recipient", models.PROTECT, null=True, blank=True, related_name="forward"
    )
    projects = models.ManyToManyField(Project, blank=True, related_name="directives",
                                      verbose_name=_("projects"))
    deadline = models.DateField(_("deadline for answers"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.Membership", models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "outgoing_number", "issued_year"],
                condition=~Q(outgoing_number=""),
                name="directive_number_unique_per_issuer_and_year",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("issued_on")), name="directive_deadline_after_issue"
            ),
        ]
        indexes = [models.Index(fields=["root", "status"])]

    def __str__(self) -> str:
        number = self.outgoing_number or "—"
        return f"№ {number} ({self.issued_on:%d.%m.%Y}) {self.subject}"

    @property
    def text(self) -> str:
        return localized(self, "text")


class ResponseKind(models.TextChoices):
    RESPONSIBLE_SPECIALIST = "specialist", _("Designate the responsible specialist")
    PLANNED_MEASURES = "measures", _("Report the planned measures")
    SOCIAL_ORDER_PROPOSAL = "proposal", _("Submit a state social order proposal")
    FREE_REPORT = "report", _("Report (free text and files)")


class RequiredResponse(models.Model):
    directive = models.ForeignKey(Directive, models.CASCADE, related_name="required_responses")
    kind = models.CharField(_("response"), max_length=16, choices=ResponseKind.choices)
    instructions = models.CharField(_("what exactly is asked"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("required response")
        verbose_name_plural = _("required responses")
        ordering = ["directive", "id"]
        constraints = [
            models.UniqueConstraint(fields=["directive", "kind"], name="one_slot_per_kind")
        ]


class RecipientStatus(models.TextChoices):
    SENT = "sent", _("not opened")
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    RETURNED = "returned", _("returned for correction")
    ACCEPTED = "accepted", _("accepted (taken off control)")


class Recipient(models.Model):
    """One addressee of a directive: the row of the control sheet."""

    directive = models.ForeignKey(Directive, models.CASCADE, related_name="recipients")
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="directives_received",
        verbose_name=_("organisation"),
    )
    # Copied from the directive: the control sheet of a whole cascade is one query.
    root = models.ForeignKey(Directive, models.CASCADE, related_name="+")
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=RecipientStatus.choices, default=RecipientStatus.SENT
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(fields=["directive", "organisation"], name="recipient_once")
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["root", "status"]),
        ]


def attachment_path(instance, filename: str) -> str:
    # Never the user's file name on disk: a random name under a dated folder.
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a letter, an answer or an implementation card, served only
    through the access check."""

    directive = models.ForeignKey(
        Directive, models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    answer = models.ForeignKey(
        "Answer", models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    card = models.ForeignKey(
        "directives.ImplementationCard", models.CASCADE, null=True, blank=True,
        related_name="documents",
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(directive__isnull=False, answer__isnull=True, card__isnull=True)
                | Q(directive__isnull=True, answer__isnull=False, card__isnull=True)
                | Q(directive__isnull=True, answer__isnull=True, card__isnull=False),
                name="attachment_belongs_to_one_thing",
            )
        ]


class Resolution(models.Model):
    """The head's instruction inside a receiving organisation: who drafts the answer,
    who answers for it, by when, and who checks it (as in Kazakh e-document systems)."""

    recipient = models.OneToOneField(Recipient, models.CASCADE, related_name="resolution")
    author = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+",
                               verbose_name=_("resolution by"))
    executors = models.ManyToManyField("accounts.Membership", related_name="+",
                                       verbose_name=_("executors"))
    responsible = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+",
                                    verbose_name=_("responsible executor"))
    controller = models.ForeignKey("accounts.Membership", models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("controller"))
    internal_deadline = models.DateField(_("internal deadline"))
    note = models.CharField(_("resolution text"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")


class Answer(models.Model):
    """A recipient's answer: the typed parts (specialist, measures, report) as data.
    The executor drafts it; the head signs it off, which sends it to the issuer."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("answer", "draft")
        SUBMITTED = "submitted", pgettext_lazy("answer", "submitted")
        RETURNED = "returned", pgettext_lazy("answer", "returned for correction")
        ACCEPTED = "accepted", pgettext_lazy("answer", "accepted")

    recipient = models.OneToOneField(Recipient, models.CASCADE, related_name="answer")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    report_text = models.TextField(_("report"), blank=True)
    drafted_by = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+",
                                   null=True, blank=True)
    signed_by = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+",
                                  null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("issuer's comment"), blank=True)
    # Set when the draft was compiled from subordinates' answers ("consolidate").
    consolidated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")


class AnswerSpecialist(models.Model):
    """A specialist named in an answer, for one project (the Ministry's table of 20)."""

    answer = models.ForeignKey(Answer, models.CASCADE, related_name="specialists")
    project = models.ForeignKey(Project, models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("project"))
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=300)
    phone = models.CharField(_("phone"), max_length=40)
    email = models.EmailField(_("e-mail"), blank=True)
    source = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("specialist in an answer")
        verbose_name_plural = _("specialists in answers")
        ordering = ["answer", "id"]


class AnswerMeasure(models.Model):
    answer = models.ForeignKey(Answer, models.CASCADE, related_name="measures")
    title = models.CharField(_("measure"), max_length=500)
    due = models.CharField(_("when"), max_length=100)
    responsible = models.CharField(_("who"), max_length=300)
    budget = models.DecimalField(_("budget, ₸"), null=True, blank=True, **MONEY)
    # The subordinate's measure it was compiled from, when consolidated.
    source = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="+")
    source_organisation = models.ForeignKey(Organisation, models.SET_NULL, null=True, blank=True,
                                            related_name="+")

    class Meta:
        verbose_name = _("measure in an answer")
        verbose_name_plural = _("measures in answers")
        ordering = ["answer", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="answer_measure_budget_not_negative",
            )
        ]


class Reminder(models.Model):
    """A reminder e-mail already sent: never twice for the same event."""

    class Kind(models.TextChoices):
        BEFORE_DEADLINE = "before", _("before the deadline")
        OVERDUE = "overdue", _("overdue")

    recipient = models.ForeignKey(Recipient, models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    deadline = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "deadline"], name="reminder_once")
        ]
