"""Proposals for the state social order: a school's or a district's project idea with its
budget by year in line items, and the consolidated proposal a district sends up, which
keeps the links to the proposals it was compiled from."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tatulyq.directives.models import Project
from tatulyq.directives.models.programme import MONEY
from tatulyq.orgs.models import Organisation, Territory

QUANTITY = {"max_digits": 12, "decimal_places": 2}
FIRST_YEAR, LAST_YEAR = 2024, 2030


class BudgetLineBase(models.Model):
    """One line of a budget: item, unit, quantity × unit cost = total (computed, never typed)."""

    year = models.PositiveSmallIntegerField(_("year"))
    item = models.CharField(_("item"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit_cost = models.DecimalField(_("unit cost, ₸"), **MONEY)
    total = models.DecimalField(_("total, ₸"), **MONEY)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["year", "position", "id"]


def line_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(condition=Q(quantity__gt=0), name=f"{prefix}_quantity_positive"),
        models.CheckConstraint(condition=Q(unit_cost__gte=0), name=f"{prefix}_unit_cost_not_negative"),
        models.CheckConstraint(condition=Q(total__gte=0), name=f"{prefix}_total_not_negative"),
        models.CheckConstraint(
            condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR), name=f"{prefix}_year_in_programme"
        ),
    ]


class Implementer(models.TextChoices):
    NGO_GRANT = "ngo_grant", _("An NGO, by a grant")
    OWN_STAFF = "own_staff", _("Our own staff")
    MIXED = "mixed", _("Own staff with an NGO")


class Proposal(models.Model):
    """A proposal to finance a social project within the state social order."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("proposal", "draft")
        SUBMITTED = "submitted", pgettext_lazy("proposal", "submitted")
        RETURNED = "returned", pgettext_lazy("proposal", "returned for correction")

    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        related_name="social_order_proposals",
        verbose_name=_("organisation"),
    )
    # The oblast the organisation lies in: the national table is one GROUP BY over it.
    region = models.ForeignKey(Territory, models.PROTECT, related_name="+", editable=False)
    # The directive slot this proposal answers ("submit a state social order proposal").
    recipient = models.OneToOneField(
        "directives.Recipient",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )
    project = models.ForeignKey(
        Project,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("project of the programme"),
    )
    other_project = models.CharField(
        _("or another social project"),
        max_length=300,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=500)
    problem = models.TextField(_("the problem"))
    evidence = models.TextField(_("evidence of the problem"), blank=True)
    target_groups = models.TextField(_("target groups"))
    children_reached = models.PositiveIntegerField(_("children to be reached"))
    activities = models.TextField(_("activities"))
    expected_results = models.TextField(_("expected results"))
    indicators = models.TextField(_("indicators"), blank=True)
    implementer = models.CharField(_("implementer wanted"), max_length=16, choices=Implementer.choices)
    is_consolidated = models.BooleanField(_("consolidated"), default=False)
    total = models.DecimalField(_("total, ₸"), default=0, editable=False, **MONEY)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_by = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        "accounts.Membership", models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("state social order proposal")
        verbose_name_plural = _("state social order proposals")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False) | ~Q(other_project=""),
                name="proposal_names_its_project",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="proposal_total_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "is_consolidated", "project", "region"])]

    def __str__(self) -> str:
        return self.title

    @property
    def project_label(self) -> str:
        return f"{self.project.number}. {self.project.short_name}" if self.project_id else self.other_project

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ProposalLine(BudgetLineBase):
    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="lines")
    # The line of a school's proposal it was merged from, when consolidated.
    source = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta(BudgetLineBase.Meta):
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = line_constraints("proposal_line")
        indexes = [models.Index(fields=["proposal", "year"])]


class ProposalSource(models.Model):
    """A proposal a consolidated one was compiled from, with the rank it was given."""

    consolidated = models.ForeignKey(Proposal, models.CASCADE, related_name="source_links")
    source = models.ForeignKey(Proposal, models.PROTECT, related_name="consolidated_into")
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("source proposal")
        verbose_name_plural = _("source proposals")
        ordering = ["consolidated", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["consolidated", "source"], name="proposal_source_once"),
            models.UniqueConstraint(fields=["consolidated", "rank"], name="proposal_source_rank_once"),
            models.CheckConstraint(condition=~Q(consolidated=F("source")), name="proposal_not_own_source"),
        ]
