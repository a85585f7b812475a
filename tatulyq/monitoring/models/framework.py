"""The indicator framework: versions of it, and each indicator as that version defines it.

A change to any indicator makes a new version (a copy of all definitions with the change);
a report keeps the version it was filed under, and figures are added up by the
indicator's code, which stays the same from one version to the next."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tatulyq.lib.i18n import TrilingualName, localized


class FrameworkVersion(models.Model):
    number = models.PositiveIntegerField(_("version"), unique=True)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.Membership", models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        ordering = ["-number"]


class IndicatorKind(models.TextChoices):
    OUTPUT = "output", _("output")
    OUTCOME = "outcome", _("outcome")


class Unit(models.TextChoices):
    COUNT = "count", _("number")
    CHILDREN = "children", _("children")
    PERCENT = "percent", _("per cent")
    DAYS = "days", _("days")
    MONEY = "money", _("tenge")


class Source(models.TextChoices):
    ENTERED = "entered", _("entered in the periodic report")
    CASES = "cases", _("computed from mediation cases")
    DIRECTIVES = "directives", _("computed from the programme registry")
    GRANTS = "grants", _("computed from state social order and grants")


class Aggregation(models.TextChoices):
    SUM = "sum", _("sum")
    RATIO = "ratio", _("share of two indicators")
    MEDIAN = "median", _("median")


class OverTime(models.TextChoices):
    """How a figure over several quarters follows from the quarters' figures (DHIS2's
    period aggregation): a flow (cases referred in the quarter) adds up; a stock (centres
    operating, money contracted since the programme began) is its latest quarter."""

    SUM = "sum", _("added up over the quarters")
    LAST = "last", _("the latest quarter's value")


class ReportingLevel(models.TextChoices):
    SCHOOL = "school", _("school")
    DISTRICT = "district", _("district")
    REGION = "region", _("region")


class Indicator(TrilingualName):
    """One indicator as one framework version defines it."""

    version = models.ForeignKey(FrameworkVersion, models.CASCADE, related_name="indicators")
    code = models.SlugField(_("code"), max_length=40)
    project = models.ForeignKey(
        "directives.Project",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("project"),
    )
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("type"), max_length=8, choices=IndicatorKind.choices)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    aggregation = models.CharField(
        _("how it adds up"), max_length=8, choices=Aggregation.choices, default=Aggregation.SUM
    )
    over_time = models.CharField(
        _("over several quarters"), max_length=4, choices=OverTime.choices, default=OverTime.SUM
    )
    level = models.CharField(_("reported by"), max_length=8, choices=ReportingLevel.choices)
    # Breakdowns kept beside the total, e.g. ["sex", "age"] or ["service"].
    dimensions = models.JSONField(_("disaggregation"), default=list, blank=True)
    # For a ratio: the two indicators (by code) whose quotient it is.
    numerator = models.SlugField(max_length=40, blank=True)
    denominator = models.SlugField(max_length=40, blank=True)
    # Counts of children (or of cases about children): small cells are suppressed.
    counts_children = models.BooleanField(_("counts children"), default=False)
    required = models.BooleanField(_("required"), default=True)
    min_value = models.DecimalField(
        _("lowest plausible value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("highest plausible value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # A value more than this many times the previous quarter's (or less than its
    # 1/factor) asks for a comment.
    jump_factor = models.DecimalField(_("jump factor"), max_digits=5, decimal_places=2, default=3)
    target = models.DecimalField(
        _("target for 2025–2026"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    definition_kk = models.TextField(_("definition in Kazakh"), blank=True)
    definition_ru = models.TextField(_("definition in Russian"), blank=True)
    definition_en = models.TextField(_("definition in English"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["version", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="indicator_code_once_per_version"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=models.F("min_value")),
                name="indicator_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def definition(self) -> str:
        return localized(self, "definition")

    @property
    def is_entered(self) -> bool:
        return self.source == Source.ENTERED

    @property
    def is_derived(self) -> bool:
        return self.aggregation == Aggregation.RATIO
