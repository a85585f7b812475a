"""The grant agreement with the winner, its tranches (planned and paid) and the
grantee's interim and final reports."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tatulyq.directives.models.letters import attachment_path
from tatulyq.directives.models.programme import MONEY
from tatulyq.orgs.models import Organisation

from .competitions import Application
from .order import Topic


class GrantAgreement(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("agreement", "in force")
        CLOSED = "closed", pgettext_lazy("agreement", "closed")

    application = models.OneToOneField(Application, models.PROTECT, related_name="agreement")
    # Copied from the competition: "agreements never exceed the topic" locks one row.
    topic = models.ForeignKey(Topic, models.PROTECT, related_name="agreements", editable=False)
    ngo = models.ForeignKey(
        Organisation,
        models.PROTECT,
        related_name="grant_agreements",
        verbose_name=_("grantee"),
        editable=False,
    )
    number = models.CharField(_("agreement No."), max_length=60)
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("period from"))
    ends_on = models.DateField(_("period to"))
    amount = models.DecimalField(_("amount, ₸"), **MONEY)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grant agreement")
        verbose_name_plural = _("grant agreements")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="agreement_amount_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="agreement_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number} — {self.ngo.name}"


class Tranche(models.Model):
    agreement = models.ForeignKey(GrantAgreement, models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("No."))
    planned_on = models.DateField(_("planned date"))
    amount = models.DecimalField(_("amount, ₸"), **MONEY)
    condition = models.CharField(_("condition of payment"), max_length=500)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_amount = models.DecimalField(_("paid, ₸"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="tranche_number_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount_positive"),
            models.CheckConstraint(
                condition=Q(paid_amount__isnull=True, paid_on__isnull=True)
                | Q(paid_amount__gt=0, paid_amount__lte=F("amount"), paid_on__isnull=False),
                name="tranche_paid_within_amount",
            ),
        ]


class GrantReport(models.Model):
    """The grantee's interim or final report: what was done, whom it reached, what it cost."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("interim")
        FINAL = "final", _("final")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report", "draft")
        SUBMITTED = "submitted", pgettext_lazy("report", "submitted")
        RETURNED = "returned", pgettext_lazy("report", "returned for correction")
        ACCEPTED = "accepted", pgettext_lazy("report", "accepted")

    agreement = models.ForeignKey(GrantAgreement, models.PROTECT, related_name="reports")
    kind = models.CharField(_("report"), max_length=8, choices=Kind.choices)
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    activities = models.TextField(_("activities carried out"))
    # Reach, disaggregated by sex and age band (children) and by sex (adults).
    girls_6_10 = models.PositiveIntegerField(_("girls 6–10"), default=0)
    boys_6_10 = models.PositiveIntegerField(_("boys 6–10"), default=0)
    girls_11_14 = models.PositiveIntegerField(_("girls 11–14"), default=0)
    boys_11_14 = models.PositiveIntegerField(_("boys 11–14"), default=0)
    girls_15_18 = models.PositiveIntegerField(_("girls 15–18"), default=0)
    boys_15_18 = models.PositiveIntegerField(_("boys 15–18"), default=0)
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_by = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.Membership", models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    REACH_FIELDS = (
        "girls_6_10",
        "boys_6_10",
        "girls_11_14",
        "boys_11_14",
        "girls_15_18",
        "boys_15_18",
        "women",
        "men",
    )

    class Meta:
        verbose_name = _("grantee report")
        verbose_name_plural = _("grantee reports")
        ordering = ["agreement", "period_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__gte=F("period_from")), name="report_period_in_order"
            ),
            models.UniqueConstraint(fields=["agreement"], condition=Q(kind="final"), name="one_final_report"),
        ]

    @property
    def children_reached(self) -> int:
        return sum(getattr(self, f) for f in self.REACH_FIELDS[:6])

    @property
    def adults_reached(self) -> int:
        return self.women + self.men

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ReportIndicator(models.Model):
    report = models.ForeignKey(GrantReport, models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    actual = models.DecimalField(_("achieved"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("indicator in a report")
        verbose_name_plural = _("indicators in reports")
        ordering = ["report", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0, actual__gte=0), name="indicator_not_negative"),
        ]


class ReportExpenditure(models.Model):
    report = models.ForeignKey(GrantReport, models.CASCADE, related_name="expenditures")
    item = models.CharField(_("budget line"), max_length=300)
    planned = models.DecimalField(_("planned, ₸"), **MONEY)
    spent = models.DecimalField(_("spent, ₸"), **MONEY)
    variance_explanation = models.CharField(_("why it differs"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("expenditure in a report")
        verbose_name_plural = _("expenditures in reports")
        ordering = ["report", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned__gte=0, spent__gte=0), name="expenditure_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(planned=F("spent")) | ~Q(variance_explanation=""),
                name="expenditure_variance_explained",
            ),
        ]

    @property
    def variance(self):
        return self.spent - self.planned


class ReportAttachment(models.Model):
    """A file attached to a grantee report, stored like a directive's attachments."""

    report = models.ForeignKey(GrantReport, models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")
