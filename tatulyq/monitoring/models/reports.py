"""Reporting periods, the quarterly reports of schools, districts and regions, their
values and the history of their approval."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tatulyq.orgs.models import Organisation

from .framework import FrameworkVersion, Indicator


class PeriodStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("period", "not open yet")
    OPEN = "open", pgettext_lazy("period", "open")
    CLOSED = "closed", pgettext_lazy("period", "closed")


class Period(models.Model):
    """A quarter, with the deadline of each level of the approval chain."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.PLANNED
    )
    school_deadline = models.DateField(_("schools report by"))
    district_deadline = models.DateField(_("districts approve by"))
    region_deadline = models.DateField(_("regions approve by"))
    national_deadline = models.DateField(_("«Өркен» accepts by"))
    # Bumped with every change to this quarter's aggregates: cached suppression keys on it.
    data_version = models.PositiveBigIntegerField(default=0, editable=False)
    data_changed_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="period_once"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="period_quarter_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.quarter}"

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report", "draft")
    SUBMITTED = "submitted", pgettext_lazy("report", "submitted")
    ACCEPTED = "accepted", pgettext_lazy("report", "accepted")
    RETURNED = "returned", pgettext_lazy("report", "returned for correction")


# Reports whose figures count in "all data"; "approved only" counts ACCEPTED alone.
RECEIVED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


class Report(models.Model):
    """One organisation's quarterly report. The roll-up nodes (national, region,
    district) are stored on it, so adding up is a GROUP BY and no tree walk."""

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="monitoring_reports", verbose_name=_("organisation")
    )
    period = models.ForeignKey(Period, models.PROTECT, related_name="reports", verbose_name=_("period"))
    version = models.ForeignKey(
        FrameworkVersion, models.PROTECT, related_name="reports", verbose_name=_("framework version")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    national_node = models.ForeignKey(Organisation, models.PROTECT, related_name="+", null=True)
    region_node = models.ForeignKey(Organisation, models.PROTECT, related_name="+", null=True)
    district_node = models.ForeignKey(Organisation, models.PROTECT, related_name="+", null=True)
    narrative = models.TextField(_("narrative: what went well, what did not"), blank=True)
    required_count = models.PositiveIntegerField(default=0)
    filled_count = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.Membership", models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.Membership", models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_comment = models.TextField(_("reason for returning"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "period"], name="report_once_per_period"),
            models.CheckConstraint(
                condition=Q(filled_count__lte=models.F("required_count")),
                name="report_filled_within_required",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "region_node", "status"]),
            models.Index(fields=["period", "district_node", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.ACCEPTED

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportValue(models.Model):
    """One figure of a report: an indicator's total (cell "") or one breakdown cell
    ("sex:f", "age:11-14", "service:juvenile_police", "d:12" for a median's histogram)."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="values")
    period = models.ForeignKey(Period, models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="+")
    code = models.SlugField(max_length=40)
    cell = models.CharField(max_length=40, blank=True, default="")
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    is_computed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("report value")
        verbose_name_plural = _("report values")
        constraints = [
            models.UniqueConstraint(fields=["report", "code", "cell"], name="report_value_once"),
        ]
        indexes = [models.Index(fields=["period", "code", "cell"])]


class ApprovalStep(models.Model):
    """What happened to a report: submitted, accepted, returned, reopened."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned")
        REOPENED = "reopened", _("reopened for correction")

    report = models.ForeignKey(Report, models.CASCADE, related_name="steps")
    action = models.CharField(max_length=10, choices=Action.choices)
    by = models.ForeignKey("accounts.Membership", models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
