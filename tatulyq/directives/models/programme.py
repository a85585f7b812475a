"""The programme registry: the programme, its three stages, its ten projects and, for
each project in each of its two regions, an implementation card (responsible
specialist, planned measures, stage reached, documents)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tatulyq.lib.i18n import TrilingualName, localized
from tatulyq.orgs.models import Organisation, Territory

MONEY = {"max_digits": 14, "decimal_places": 2}


class Programme(TrilingualName):
    """The national programme of 10 projects (2024–2026)."""

    code = models.SlugField(unique=True)
    legal_basis_kk = models.TextField(_("legal basis in Kazakh"))
    legal_basis_ru = models.TextField(_("legal basis in Russian"), blank=True)
    legal_basis_en = models.TextField(_("legal basis in English"), blank=True)
    protocol_number = models.CharField(_("protocol instruction No."), max_length=40)
    protocol_date = models.DateField(_("protocol instruction date"))
    council_date = models.DateField(_("Coordination Council date"))
    methodological_centre = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("methodological centre"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    @property
    def legal_basis(self) -> str:
        return localized(self, "legal_basis")


class Stage(TrilingualName):
    programme = models.ForeignKey(Programme, models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField(_("stage"))
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("due by"))

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="stage_number_unique")
        ]


class Project(TrilingualName):
    """One of the ten social projects, carried out in two regions."""

    programme = models.ForeignKey(Programme, models.CASCADE, related_name="projects")
    number = models.PositiveSmallIntegerField(_("No."))
    short_name_kk = models.CharField(_("short name in Kazakh"), max_length=120)
    short_name_ru = models.CharField(_("short name in Russian"), max_length=120, blank=True)
    short_name_en = models.CharField(_("short name in English"), max_length=120, blank=True)
    regions = models.ManyToManyField(
        Territory, through="ImplementationCard", related_name="projects",
        verbose_name=_("regions"),
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="project_number_unique")
        ]

    @property
    def short_name(self) -> str:
        return localized(self, "short_name")


class ImplementationCard(models.Model):
    """A project in one region: who answers for it, what is planned, how far it got."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="cards")
    region = models.ForeignKey(
        Territory, models.PROTECT, related_name="implementation_cards",
        limit_choices_to={"level": Territory.Level.REGION}, verbose_name=_("region"),
    )
    # The body that carries the project out in the region (its akimat).
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="implementation_cards",
        verbose_name=_("responsible organisation"),
    )
    stage = models.ForeignKey(
        Stage, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("stage reached"),
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("implementation card")
        verbose_name_plural = _("implementation cards")
        ordering = ["project__number", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "region"], name="card_project_region_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project.number}. {self.project.short_name} — {self.region.name}"


class ResponsibleSpecialist(models.Model):
    """The education department's specialist named for a project in a region, as the
    Ministry asked by 27 May. A new designation replaces the current one; the old
    one stays for history."""

    card = models.ForeignKey(
        ImplementationCard, models.CASCADE, related_name="specialists"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=300)
    phone = models.CharField(_("phone"), max_length=40)
    email = models.EmailField(_("e-mail"), blank=True)
    is_current = models.BooleanField(default=True)
    # The answer it came from, when it was designated through a directive.
    source_answer = models.ForeignKey(
        "directives.Answer", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    designated_on = models.DateField(_("designated on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("responsible specialist")
        verbose_name_plural = _("responsible specialists")
        constraints = [
            models.UniqueConstraint(
                fields=["card"], condition=Q(is_current=True), name="one_current_specialist"
            )
        ]


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class PlannedMeasure(models.Model):
    card = models.ForeignKey(ImplementationCard, models.CASCADE, related_name="measures")
    title = models.CharField(_("measure"), max_length=500)
    due = models.CharField(_("when"), max_length=100, help_text=_("A date or a period, e.g. “Q1 2025”."))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    responsible = models.CharField(_("who"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    budget = models.DecimalField(_("budget, ₸"), null=True, blank=True, **MONEY)
    position = models.PositiveSmallIntegerField(default=0)
    # The answer it was reported in, when it came through a directive.
    source_answer = models.ForeignKey(
        "directives.Answer", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("planned measure")
        verbose_name_plural = _("planned measures")
        ordering = ["card", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="measure_budget_not_negative"
            )
        ]


